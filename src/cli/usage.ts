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
  let text = fitWidth(await renderUsage(command, parent));
  const examples = registry.get(command);
  if (examples?.length)
    text += `\n\n\u001B[4m\u001B[1mEXAMPLES\u001B[22m\u001B[24m\n\n${examples.map((line) => `  ${line}`).join("\n")}`;
  console.log(`${text}\n`);
}

export const HELP_WIDTH = 120;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"); // colour codes
const visible = (text: string) => text.replace(ANSI, "").length;

/**
 * citty pads the last column to the widest row and never wraps: trailing spaces are cut, and a row
 * wider than HELP_WIDTH wraps at word boundaries under its description column.
 */
export function fitWidth(text: string, width = HELP_WIDTH): string {
  return text
    .split("\n")
    .flatMap((raw) => {
      const line = raw.replace(/[ \t]+$/, "");
      if (visible(line) <= width) return [line];
      const plain = line.replace(ANSI, "");
      const gap = plain.search(/\S {4}\S/);
      const indent = gap >= 0 && gap < width / 2 ? gap + 5 : 2;
      const out: string[] = [];
      const lead = /^ */.exec(line)![0];
      let current = lead;
      for (const word of line.slice(lead.length).split(" ")) {
        const next = current.trim() ? `${current} ${word}` : `${current}${word}`;
        if (current.trim() && visible(next) > width) {
          out.push(current);
          current = `${" ".repeat(indent)}${word}`;
        } else current = next;
      }
      out.push(current);
      return out;
    })
    .join("\n");
}
