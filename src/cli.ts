// The gemini-cli-proxy command line (citty). `gemini-cli-proxy -c config.json` = `run -c config.json`.
import { defineCommand, runMain, type CommandDef } from "citty";
import { runArgs } from "./cli/args.ts";
import { showUsage, withExamples } from "./cli/usage.ts";
import { unknownFlagProblem } from "./cli/flags.ts";

const VERSION = "0.1.0";

export { commonArgs, runArgs, serverArgs } from "./cli/args.ts";

export const main: CommandDef<typeof runArgs> = withExamples(
  defineCommand({
    meta: {
      name: "gemini-cli-proxy",
      version: VERSION,
      description: "OpenAI-compatible and native Gemini API over a pool of Gemini CLI accounts and API keys",
    },
    // Root args are required so `gemini-cli-proxy -c file` reaches the default subcommand.
    args: runArgs,
    subCommands: {
      run: () => import("./cli/commands/run.ts").then((m) => m.runCommand),
      // `auth` (the Python proxy's name) is an alias in login's meta: one row in --help.
      login: () => import("./cli/commands/login.ts").then((m) => m.loginCommand),
      accounts: () => import("./cli/commands/accounts.ts").then((m) => m.accountsCommand),
      keys: () => import("./cli/commands/keys.ts").then((m) => m.keysCommand),
      "generate-key": () => import("./cli/commands/generate-key.ts").then((m) => m.generateKeyCommand),
      config: () => import("./cli/commands/config.ts").then((m) => m.configCommand),
      rekey: () => import("./cli/commands/rekey.ts").then((m) => m.rekeyCommand),
    },
    default: "run",
  }),
  [
    "gemini-cli-proxy                                 # start on 127.0.0.1:8889",
    "gemini-cli-proxy -c config.json -ek KEY          # the Python proxy's config.json and credentials, unchanged",
    "gemini-cli-proxy login                           # add a Google account",
    "gemini-cli-proxy accounts list",
    "gemini-cli-proxy config check -c config.json",
  ],
);

/** citty reads `-ek` as `-e -k`; the predecessor's users type `-ek KEY` (and `-ek=KEY`). */
export function normalizeArgv(argv: string[]): string[] {
  return argv.map((arg) => (arg === "-ek" ? "--ek" : arg.startsWith("-ek=") ? `--ek=${arg.slice(4)}` : arg));
}

export async function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  const rawArgs = normalizeArgv(argv);
  const problem = await unknownFlagProblem(main as CommandDef, rawArgs);
  if (problem) {
    process.stderr.write(`gemini-cli-proxy: ${problem}\n`);
    process.exit(1);
  }
  return runMain(main, { rawArgs, showUsage });
}
