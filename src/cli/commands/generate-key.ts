// `gemini-cli-proxy generate-key`: a new random encryption key, in the predecessor's format
// (Fernet.generate_key(): 32 random bytes, url-safe base64, 44 characters).
import { defineCommand, type CommandDef } from "citty";
import { generateFernetKey } from "../../legacy/fernet.ts";
import { withExamples } from "../usage.ts";

export const generateKeyCommand: CommandDef = withExamples(
  defineCommand({
    meta: {
      name: "generate-key",
      description: "Print a new random encryption key (stdout: the key alone; stderr: how to keep it)",
    },
    run() {
      process.stdout.write(`${generateFernetKey()}\n`);
      process.stderr.write(
        [
          "",
          "Store this key like a password, outside the data directory: a secret manager, or an environment",
          "variable read at start (GEMINI_PROXY_ENCRYPTION_KEY); pass it with -ek KEY otherwise.",
          "Without it the encrypted credentials cannot be read: keep a copy. To change keys later:",
          "  gemini-cli-proxy rekey --from OLD --to NEW",
          "",
        ].join("\n"),
      );
    },
  }),
  [
    "gemini-cli-proxy generate-key",
    'export GEMINI_PROXY_ENCRYPTION_KEY="$(gemini-cli-proxy generate-key 2>/dev/null)"',
  ],
);
