// Leaf types every layer may import: nothing here imports from the rest of the package.

type LogMethod = (...args: unknown[]) => void;

/** A consola-compatible logger (consola itself, or anything with these methods). */
export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  withTag?: (tag: string) => Logger;
}

/** Client keys: a list, a checker function (custom key checks, may be async), or `false` to turn client auth off. */
export type AuthKeysOption = readonly string[] | ((key: string) => boolean | Promise<boolean>) | false;
