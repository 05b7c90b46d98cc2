// `gemini-cli-proxy config check -c FILE`
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { formatProblem, validateConfig } from "../../config/file-schema.ts";
import { readConfigJson } from "../config.ts";
import { exitWithError } from "../context.ts";
import { withExamples } from "../usage.ts";

const checkArgs = {
  config: { type: "string", alias: "c", description: "The config file to check", valueHint: "file" },
  file: { type: "positional", description: "The config file (instead of -c)", required: false },
} as const satisfies ArgsDef;

export const checkCommand: CommandDef<typeof checkArgs> = withExamples(
  defineCommand({
    meta: {
      name: "check",
      description:
        "Validate a config file: each problem with its key path and expected type (exit 1 on errors; warnings do not fail)",
    },
    args: checkArgs,
    async run({ args }) {
      const path = args.config || args.file;
      if (!path) exitWithError(new Error("name the file: gemini-cli-proxy config check -c config.json"));
      try {
        const problems = validateConfig(await readConfigJson(path));
        for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
        const errors = problems.filter((p) => p.severity === "error").length;
        const warnings = problems.length - errors;
        process.stdout.write(
          `${path}: ${errors ? `${errors} error(s)` : "valid"}${warnings ? `, ${warnings} warning(s)` : ""}\n`,
        );
        process.exitCode = errors ? 1 : 0;
      } catch (error) {
        exitWithError(error);
      }
    },
  }),
  [
    "gemini-cli-proxy config check -c config.json",
    "gemini-cli-proxy config check ./deploy/config.json && gemini-cli-proxy -c ./deploy/config.json",
  ],
);

export const configCommand: CommandDef = withExamples(
  defineCommand({
    meta: { name: "config", description: "Work with config files" },
    subCommands: { check: checkCommand },
  }),
  ["gemini-cli-proxy config check -c config.json"],
);
