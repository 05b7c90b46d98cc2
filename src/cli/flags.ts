// citty accepts any flag; a typo (`run --prot 9000`) would silently start on the default port. This
// walks the command chain the way citty does, then refuses a flag the chosen command does not define,
// naming the nearest one.
import type { ArgsDef, CommandDef } from "citty";
import { nearestName } from "../config/option-keys.ts";

type AnyCommand = CommandDef<ArgsDef>;
type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);

const resolve = async <T>(value: Resolvable<T> | undefined): Promise<T | undefined> =>
  typeof value === "function" ? (value as () => T | Promise<T>)() : value;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const toArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

interface Known {
  names: Set<string>;
  /** Flags that take the next token as their value. */
  valued: Set<string>;
  /** Spellings to suggest (kebab-case long names, as the README writes them). */
  display: string[];
}

function knownFlags(args: ArgsDef): Known {
  const known: Known = { names: new Set(["help", "h", "version", "v"]), valued: new Set(), display: ["help"] };
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const spellings = [name, kebab(name), ...toArray((def as { alias?: string | string[] }).alias)];
    if (def.type === "boolean") spellings.push(`no-${kebab(name)}`, `no${name[0]!.toUpperCase()}${name.slice(1)}`);
    for (const s of spellings) known.names.add(s);
    if (def.type === "string" || def.type === "enum") for (const s of spellings) known.valued.add(s);
    known.display.push(kebab(name));
  }
  return known;
}

async function findSub(subs: Record<string, Resolvable<AnyCommand>>, name: string): Promise<AnyCommand | undefined> {
  if (name in subs) return resolve(subs[name]);
  for (const sub of Object.values(subs)) {
    const command = await resolve(sub);
    const meta = await resolve(command?.meta);
    if (toArray(meta?.alias).includes(name)) return command;
  }
  return undefined;
}

/** The first token of `args` that looks like a flag the definitions do not know, as a message. */
function firstUnknown(args: readonly string[], known: Known): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") continue;
    const name = arg.replace(/^-{1,2}/, "").split("=")[0]!;
    if (known.names.has(name) || known.names.has(camel(name))) {
      if (!arg.includes("=") && (known.valued.has(name) || known.valued.has(camel(name)))) i++;
      continue;
    }
    const suggestion = nearestName(kebab(name), known.display);
    return `Unknown option ${arg.split("=")[0]}.${suggestion ? ` Did you mean --${suggestion}?` : ""} See --help.`;
  }
  return undefined;
}

/** The message for the first flag the command does not define, or undefined when all are known. */
export async function unknownFlagProblem(root: AnyCommand, rawArgs: readonly string[]): Promise<string | undefined> {
  if (rawArgs.some((a) => a === "--help" || a === "-h")) return undefined;
  let command = root;
  let rest = [...rawArgs];
  for (;;) {
    const known = knownFlags(((await resolve(command.args)) ?? {}) as ArgsDef);
    const subs = (await resolve(command.subCommands)) as Record<string, Resolvable<AnyCommand>> | undefined;
    if (!subs || !Object.keys(subs).length) return firstUnknown(rest, known);
    let index = -1;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === "--") break;
      if (arg.startsWith("-")) {
        if (!arg.includes("=") && known.valued.has(arg.replace(/^-{1,2}/, ""))) i++;
        continue;
      }
      index = i;
      break;
    }
    // Flags before the subcommand belong to this level (the root's are the run flags).
    const before = firstUnknown(index >= 0 ? rest.slice(0, index) : rest, known);
    if (before) return before;
    const next = index >= 0 ? await findSub(subs, rest[index]!) : undefined;
    if (next) {
      rest = rest.slice(index + 1);
      command = next;
      continue;
    }
    if (index >= 0) return undefined; // citty reports an unknown command itself
    if (!command.default) return undefined;
    const fallback = await findSub(subs, String(await resolve(command.default)));
    if (!fallback) return undefined;
    command = fallback;
  }
}
