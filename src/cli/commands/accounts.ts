// `gemini-cli-proxy accounts list|import|remove|disable|enable|export`, on the local storage.
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { commonArgs } from "../args.ts";
import { exportAccounts, findAccount, formatTable, withAccounts } from "../accounts.ts";
import { withExamples } from "../usage.ts";

const idArgs = {
  ...commonArgs,
  account: { type: "positional", description: "Account id, email, or an unambiguous id prefix", required: true },
} as const satisfies ArgsDef;

const listArgs = {
  ...commonArgs,
  json: { type: "boolean", description: "Print JSON instead of a table" },
} as const satisfies ArgsDef;
export const listCommand: CommandDef<typeof listArgs> = withExamples(
  defineCommand({
    meta: { name: "list", description: "List accounts and API keys with their status" },
    args: listArgs,
    run: ({ args }) =>
      withAccounts(args, async ({ proxy }) => {
        const views = proxy.pool.list();
        process.stdout.write(`${args.json ? JSON.stringify(views, null, 2) : formatTable(views)}\n`);
      }),
  }),
  ["gemini-cli-proxy accounts list", "gemini-cli-proxy accounts list -c config.json -ek KEY --json"],
);

const importArgs = {
  ...commonArgs,
  files: {
    type: "positional",
    description:
      "oauth_creds.json, the predecessor's credentials.json (plain or encrypted with -ek), or a list of API keys",
    required: true,
  },
} as const satisfies ArgsDef;
export const importCommand: CommandDef<typeof importArgs> = withExamples(
  defineCommand({
    meta: {
      name: "import",
      description:
        "Import accounts from files: each entry is checked with Google (token, email, project; API keys too) and reported on its own line. Entries Google refuses are not kept; the exit code is 1 when any entry was not imported",
    },
    args: importArgs,
    run: ({ args }) =>
      withAccounts(args, async ({ ctx, proxy }) => {
        const { importFiles } = await import("../import-report.ts");
        const files = (args._.length ? args._ : [args.files]).map(String);
        const tally = await importFiles(proxy.pool, files, {
          passphrase: ctx.settings.encryptionKey,
          masker: ctx.masker,
          write: (line) => process.stdout.write(`${line}\n`),
        });
        const total = tally.imported + tally.failed;
        process.stdout.write(
          `imported ${tally.imported} of ${total} entr${total === 1 ? "y" : "ies"}${tally.failed ? `; ${tally.failed} not imported` : ""}\n`,
        );
        // Good entries are kept whatever the others did; a script still learns that some failed.
        return tally.failed ? 1 : 0;
      }),
  }),
  [
    "gemini-cli-proxy accounts import ~/.gemini/oauth_creds.json",
    "gemini-cli-proxy accounts import old/credentials.json -ek KEY     # the Python proxy's file, encrypted",
    "gemini-cli-proxy accounts import api-keys.txt                     # Gemini API keys, one per line",
  ],
);

function idCommand(name: "remove" | "disable" | "enable", description: string): CommandDef<typeof idArgs> {
  return withExamples(
    defineCommand({
      meta: { name, description },
      args: idArgs,
      run: ({ args }) =>
        withAccounts(args, async ({ proxy }) => {
          const view = findAccount(proxy.pool.list(), String(args.account));
          await proxy.pool[name](view.id);
          const past = name === "remove" ? "removed" : `${name}d`;
          // enable re-checks with Google: say what it found.
          const now = name === "enable" ? proxy.pool.get(view.id)?.state : undefined;
          const found = now
            ? `: ${now.status}${now.reason ? ` (${now.reason}${now.link ? ` — ${now.link}` : ""})` : ""}`
            : "";
          process.stdout.write(`${past} ${view.id}${view.email ? ` (${view.email})` : ""}${found}\n`);
        }),
    }),
    [
      `gemini-cli-proxy accounts ${name} oauth-1a2b3c4d5e`,
      `gemini-cli-proxy accounts ${name} user@example.com -c config.json -ek KEY`,
    ],
  );
}

export const removeCommand: CommandDef<typeof idArgs> = idCommand(
  "remove",
  "Remove an account from the storage (and from credentials_file).",
);
export const disableCommand: CommandDef<typeof idArgs> = idCommand(
  "disable",
  "Take an account out of rotation, keeping it stored.",
);
export const enableCommand: CommandDef<typeof idArgs> = idCommand(
  "enable",
  "Put a disabled (or failed) account back into rotation, after checking it with Google.",
);

const exportArgs = {
  ...commonArgs,
  output: {
    type: "string",
    alias: "o",
    description: "File to write (mode 0600), or - for stdout",
    required: true,
    valueHint: "file",
  },
  format: {
    type: "string",
    description:
      "legacy (the predecessor's credentials.json, OAuth only) | json (everything, `accounts import` reads it)",
    default: "legacy",
  },
  encrypt: { type: "boolean", description: "legacy format only: encrypt the file with -ek the predecessor's way" },
} as const satisfies ArgsDef;
export const exportCommand: CommandDef<typeof exportArgs> = withExamples(
  defineCommand({
    meta: { name: "export", description: "Write the accounts, secrets included, to a file (mode 0600)" },
    args: exportArgs,
    run: ({ args }) =>
      withAccounts(args, async (local) => {
        const format = args.format === "json" ? "json" : args.format === "legacy" ? "legacy" : undefined;
        if (!format) throw new Error(`--format must be legacy or json (got "${args.format}")`);
        if (args.encrypt && format !== "legacy") throw new Error("--encrypt applies to --format legacy only");
        process.stderr.write(
          `${await exportAccounts(local, { output: String(args.output), format, encrypt: !!args.encrypt })}\n`,
        );
      }),
  }),
  [
    "gemini-cli-proxy accounts export -o credentials.json                 # back to the Python proxy",
    "gemini-cli-proxy accounts export -o credentials.json --encrypt -ek KEY",
    "gemini-cli-proxy accounts export -o backup.json --format json       # API keys too",
  ],
);

export const accountsCommand: CommandDef = withExamples(
  defineCommand({
    meta: {
      name: "accounts",
      description:
        "Manage the accounts and API keys in the local storage (stop the server first, or use the admin page)",
    },
    subCommands: {
      list: listCommand,
      import: importCommand,
      remove: removeCommand,
      disable: disableCommand,
      enable: enableCommand,
      export: exportCommand,
    },
  }),
  [
    "gemini-cli-proxy accounts list",
    "gemini-cli-proxy accounts import ~/.gemini/oauth_creds.json",
    "gemini-cli-proxy accounts disable user@example.com",
  ],
);
