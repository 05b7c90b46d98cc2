// `~` in paths the user typed (config file, CLI arguments, account files): the shell does not
// expand it inside JSON or quoted arguments.
import { homedir } from "node:os";
import { resolve } from "node:path";

/** `~` or `~/…` → under the home directory; any other path as it is. */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? resolve(homedir(), path.slice(2)) : path;
}
