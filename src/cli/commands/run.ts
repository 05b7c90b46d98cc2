// `gemini-cli-proxy run` (the default command): the standalone server.
import { defineCommand, type CommandDef } from "citty";
import { runArgs } from "../args.ts";
import { createCliContext, exitSoon, exitWithError, type CliContext } from "../context.ts";
import { startServer, type RunningServer } from "../server.ts";
import { withExamples } from "../usage.ts";

export { runArgs };

export const runCommand: CommandDef<typeof runArgs> = withExamples(
  defineCommand({
    meta: { name: "run", description: "Start the proxy server (the default command)" },
    args: runArgs,
    async run({ args }) {
      let ctx: CliContext | undefined;
      let running: RunningServer | undefined;
      let signalled: NodeJS.Signals | undefined;
      const stop = () => {
        running!.stop(signalled).then(
          () => exitSoon(0),
          (error: unknown) => {
            ctx?.logger.error(error);
            exitSoon(1);
          },
        );
      };
      // Listen for signals before start-up ends: a SIGTERM during the banner still shuts down cleanly.
      const onSignal = (signal: NodeJS.Signals) => {
        if (signalled) return;
        signalled = signal;
        if (running) stop();
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        ctx = await createCliContext(args);
        running = await startServer(ctx, { importGeminiCli: args.importGeminiCli });
        if (signalled) stop();
      } catch (error) {
        await ctx?.storage.dispose?.().catch(() => {});
        exitWithError(error, ctx?.masker);
      }
    },
  }),
  [
    "gemini-cli-proxy                                 # 127.0.0.1:8889, storage in ~/.gemini-cli-proxy",
    "gemini-cli-proxy -c config.json -ek KEY          # the Python proxy's files, unchanged",
    "gemini-cli-proxy run --host 0.0.0.0 --port 8080 --log-format json",
    "gemini-cli-proxy --import-gemini-cli             # first start: use ~/.gemini/oauth_creds.json",
    "GEMINI_PROXY_AUTH_KEYS=k1,k2 gemini-cli-proxy --data-dir /var/lib/gemini-cli-proxy",
  ],
);
