// The gemini-cli-proxy command line (citty). `gemini-cli-proxy -c config.json` = `run -c config.json`.
import { defineCommand, runMain, type CommandDef } from "citty";
import { runArgs } from "./cli/commands/run.ts";

const VERSION = "0.1.0";

export const main: CommandDef<typeof runArgs> = defineCommand({
  meta: { name: "gemini-cli-proxy", version: VERSION, description: "OpenAI-compatible and native Gemini API over a pool of Gemini CLI accounts and API keys" },
  // Root args are required so `gemini-cli-proxy -c file` reaches the default subcommand.
  args: runArgs,
  subCommands: {
    run: () => import("./cli/commands/run.ts").then((m) => m.runCommand),
  },
  default: "run",
});

/** citty reads `-ek` as `-e -k`; the predecessor's users type `-ek KEY`. */
export function normalizeArgv(argv: string[]): string[] {
  return argv.map((arg) => (arg === "-ek" ? "--ek" : arg.startsWith("-ek=") ? `--ek=${arg.slice(4)}` : arg));
}

export function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  return runMain(main, { rawArgs: normalizeArgv(argv) });
}
