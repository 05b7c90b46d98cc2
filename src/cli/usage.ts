// `--help` with an EXAMPLES section: citty renders the usage, each command keeps its examples beside
// its definition (registered here), so command lists stay one line per command.
import { renderUsage, type ArgsDef, type CommandDef } from "citty";

const registry = new WeakMap<object, readonly string[]>();

export function withExamples<T extends ArgsDef>(command: CommandDef<T>, examples: readonly string[]): CommandDef<T> {
  registry.set(command, examples);
  return command;
}

export async function showUsage<T extends ArgsDef = ArgsDef>(
  command: CommandDef<T>,
  parent?: CommandDef<T>,
): Promise<void> {
  let text = await renderUsage(command, parent);
  const examples = registry.get(command);
  if (examples?.length)
    text += `\n\n\u001B[4m\u001B[1mEXAMPLES\u001B[22m\u001B[24m\n\n${examples.map((line) => `  ${line}`).join("\n")}`;
  console.log(`${text}\n`);
}
