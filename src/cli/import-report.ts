// `accounts import`: every entry of every file checked with Google and reported on its own line
// (`✔ key AIza…Xy12 active`, `✖ line 3: key refused by Google (API_KEY_INVALID)`). A bad line or
// file never stops the others; the exit code is 1 when any entry was not imported.
import { addAccount, type LoginOutcome } from "../login/account.ts";
import { AccountFileError, parseAccountEntries, readAccountFile } from "../login/import.ts";
import type { CredentialPool } from "../pool/pool.ts";
import type { SecretMasker } from "./mask.ts";

export interface ImportTally {
  imported: number;
  failed: number;
}

/** The line for an entry that was kept (pure). */
export function keptLine(outcome: LoginOutcome): string {
  const c = outcome.credential;
  const who = c.kind === "api_key" ? `key ${c.keyLabel ?? c.id}` : `account ${c.email ?? c.id}`;
  const state = c.state.verified === false ? `${c.state.status}, unverified` : c.state.status;
  const why = c.state.reason ? ` (${c.state.reason}${c.state.link ? ` — ${c.state.link}` : ""})` : "";
  return `✔ ${who} ${state}${why}${outcome.result === "updated" ? " [updated]" : ""}`;
}

/** The line for an entry Google refused or will not serve (pure). */
export function droppedLine(at: string, outcome: LoginOutcome): string {
  if (outcome.refused) return `✖ ${at}: ${outcome.refused}`;
  const c = outcome.credential;
  return `✖ ${at}: ${c.email ?? c.id} is ineligible, not kept (${c.state.reason ?? "no reason given"})${c.state.link ? ` — ${c.state.link}` : ""}`;
}

export async function importFiles(
  pool: CredentialPool,
  files: string[],
  options: { passphrase?: string; masker: SecretMasker; write: (line: string) => void },
): Promise<ImportTally> {
  const tally: ImportTally = { imported: 0, failed: 0 };
  const say = (line: string) => options.write(options.masker.mask(line));
  for (const file of files) {
    let entries;
    try {
      entries = parseAccountEntries(await readAccountFile(file), { passphrase: options.passphrase, name: file });
    } catch (error) {
      if (!(error instanceof AccountFileError)) throw error;
      tally.failed++;
      say(`✖ ${error.message}`);
      continue;
    }
    say(`${file}: ${entries.length} entr${entries.length === 1 ? "y" : "ies"}`);
    for (const entry of entries) {
      if (!entry.input) {
        tally.failed++;
        say(`  ✖ ${entry.at} ${entry.error}`);
        continue;
      }
      try {
        const outcome = await addAccount(pool, entry.input);
        if (outcome.result === "dropped") {
          tally.failed++;
          say(`  ${droppedLine(entry.at, outcome)}`);
        } else {
          tally.imported++;
          say(`  ${keptLine(outcome)}`);
        }
      } catch (error) {
        tally.failed++;
        say(`  ✖ ${entry.at}: ${(error as Error).message}`);
      }
    }
  }
  return tally;
}
