// The line reporter and logEvent's direct path to it: the same lines consola's path wrote (tag,
// level, fields, mask), and consola's level still decides what is written.
import { createConsola, LogLevels } from "consola";
import { describe, expect, it } from "vitest";
import { createLineReporter, isoNow, type LineFormat } from "../src/logging/line-reporter.ts";
import { logEvent } from "../src/usage/log-event.ts";

const sinkInto = (lines: string[]) => ({ write: (line: string) => void lines.push(line), flush() {}, take: () => "" });

function capture(format: LineFormat, level = LogLevels.info) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createConsola({ level, defaults: { tag: "gemini-cli-proxy" }, throttle: 0 });
  logger.setReporters([
    createLineReporter({
      format,
      out: sinkInto(out),
      err: sinkInto(err),
      mask: (line) => line.replaceAll("sk-secret", "sk-…"),
    }),
  ]);
  return { logger, out, err };
}

describe("log lines", () => {
  it("the line's time is toISOString's, across millisecond, second, day and year boundaries", () => {
    const times = [0, 7, 42, 999, 1000, 1001, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1)];
    for (const base of [Date.UTC(2026, 11, 6, 16, 30), ...times]) {
      for (const t of [base, base + 1, base + 9, base + 10, base + 99, base + 100, base + 999, base + 1000]) {
        expect(isoNow(t)).toBe(new Date(t).toISOString());
      }
    }
    // going back in time (a clock step) makes the prefix again
    expect(isoNow(Date.UTC(2026, 0, 1, 0, 0, 5, 3))).toBe("2026-01-01T00:00:05.003Z");
    expect(isoNow(Date.UTC(2025, 5, 1, 12, 0, 0, 40))).toBe("2025-06-01T12:00:00.040Z");
  });

  it("pretty: an event through logEvent reads like one through consola, tagged and masked", () => {
    const { logger, out } = capture("pretty");
    const http = logger.withTag("http");
    logEvent(http, "info", "POST /v1/chat/completions 200 sk-secret", { event: "request" });
    http.info("POST /v1/chat/completions 200 sk-secret");
    expect(out).toHaveLength(2);
    const strip = (line: string) => line.replace(/^\S+ /, "");
    expect(strip(out[0]!)).toBe("INFO  [gemini-cli-proxy:http] POST /v1/chat/completions 200 sk-…\n");
    expect(strip(out[1]!)).toBe(strip(out[0]!));
    expect(Number.isNaN(Date.parse(out[0]!.split(" ")[0]!))).toBe(false);
  });

  it("json: the fields are in the line; warnings stay on the same stream", () => {
    const { logger, out, err } = capture("json");
    logEvent(logger.withTag("pool"), "warn", "credential a@… active → cooling", { event: "credential.state", n: 2 });
    expect(err).toEqual([]);
    const line = JSON.parse(out[0]!);
    expect(line).toMatchObject({
      level: "warn",
      tag: "gemini-cli-proxy:pool",
      msg: "credential a@… active → cooling",
      event: "credential.state",
      n: 2,
    });
  });

  it("the logger's level still filters the direct path", () => {
    const { logger, out, err } = capture("pretty", LogLevels.warn);
    logEvent(logger, "info", "not shown", {});
    logEvent(logger, "debug", "not shown either", {});
    logEvent(logger, "error", "shown", {});
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/ERROR \[gemini-cli-proxy\] shown\n$/);
  });

  it("a consola with other reporters gets the log object (message as its argument, and fields)", () => {
    const logger = createConsola({ level: LogLevels.info, throttle: 0 });
    const seen: unknown[] = [];
    logger.setReporters([
      { log: (obj) => void seen.push({ args: obj.args, fields: (obj as { fields?: unknown }).fields }) },
    ]);
    logEvent(logger, "info", "hello", { event: "x" });
    expect(seen).toEqual([{ args: ["hello"], fields: { event: "x" } }]);
  });
});
