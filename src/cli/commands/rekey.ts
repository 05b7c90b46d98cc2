// `gemini-cli-proxy rekey --from OLD --to NEW`
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { weakPassphraseReason } from "../../legacy/credentials-file.ts";
import { commonArgs } from "../args.ts";
import { createCliContext, exitWithError, type CliContext } from "../context.ts";
import { rekey } from "../rekey.ts";
import { withExamples } from "../usage.ts";

const { encryptionKey: _unused, ...baseArgs } = commonArgs;

export const rekeyArgs = {
  ...baseArgs,
  from: {
    type: "string",
    description: "The current key (leave out when the secrets are not encrypted yet)",
    valueHint: "old-key",
  },
  to: { type: "string", description: "The new key (leave out to store the secrets decrypted)", valueHint: "new-key" },
} as const satisfies ArgsDef;

export const rekeyCommand: CommandDef<typeof rekeyArgs> = withExamples(
  defineCommand({
    meta: {
      name: "rekey",
      description: "Re-encrypt the stored secrets and credentials_file under a new key (stop the server first)",
    },
    args: rekeyArgs,
    async run({ args }) {
      let ctx: CliContext | undefined;
      try {
        const from = args.from || undefined;
        const to = args.to || undefined;
        if (!from && !to) throw new Error("give --from OLD, --to NEW, or both");
        ctx = await createCliContext({ ...args, encryptionKey: undefined });
        ctx.masker.add(from, to);
        const weak = to && weakPassphraseReason(to);
        if (weak) ctx.logger.warn(`${weak}: consider \`gemini-cli-proxy generate-key\``);
        const result = await rekey(ctx.storage, { from, to, credentialsFile: ctx.settings.options.credentialsFile });
        await ctx.storage.dispose?.();
        const parts = [`${result.credentials} stored credential(s)`];
        if (result.generatedKey) parts.push("the generated client key");
        if (result.file) parts.push(`${result.file} (previous copy in ${result.file}.bak)`);
        process.stdout.write(`${to ? "re-encrypted" : "decrypted"} ${parts.join(", ")}\n`);
        if (to)
          process.stdout.write("start the server with the new key from now on (-ek or GEMINI_PROXY_ENCRYPTION_KEY)\n");
      } catch (error) {
        await ctx?.storage.dispose?.().catch(() => {});
        exitWithError(error, ctx?.masker);
      }
    },
  }),
  [
    'gemini-cli-proxy rekey --from OLD --to "$(gemini-cli-proxy generate-key 2>/dev/null)"',
    "gemini-cli-proxy rekey -c config.json --from OLD --to NEW    # also credentials_file (old copy in .bak)",
    "gemini-cli-proxy rekey --to NEW                               # encrypt secrets stored in plain text",
  ],
);
