// Opening the user's browser from the CLI, when there is one. Never required: the URL is always
// printed too, and without a browser the CLI uses the paste-the-code flow.
import { spawn } from "node:child_process";

/** The command that opens a URL here, or undefined when no browser is likely (SSH, CI, no display). */
export function browserCommand(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] | undefined {
  // $BROWSER wins, as in most tools; these values mean "no graphical browser".
  const explicit = env.BROWSER?.trim();
  if (explicit) return ["www-browser", "none", "false"].includes(explicit) ? undefined : [explicit];
  if (env.CI || env.NO_BROWSER || env.DEBIAN_FRONTEND === "noninteractive") return undefined;
  if (platform === "darwin") return env.SSH_CONNECTION ? undefined : ["open"];
  // rundll32 takes the URL as one argument; `start` would split it at every "&".
  if (platform === "win32") return ["rundll32", "url.dll,FileProtocolHandler"];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY && !env.MIR_SOCKET) return undefined;
  return ["xdg-open"];
}

/** Starts the browser without waiting for it; resolves false when it could not be started. */
export function openBrowser(url: string, command: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const child = spawn(command[0]!, [...command.slice(1), url], { stdio: "ignore", detached: true });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
