// The config file (the predecessor's snake_case keys plus ours) mapped onto createGeminiProxy()
// options. A config file is only read when -c (or GEMINI_PROXY_CONFIG) names it, as in the predecessor.
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { GeminiProxyOptions } from "../config/options.ts";
import { expandHome } from "../storage/home-path.ts";
import { CONFIG_FIELDS, formatProblem, validateConfig, type ConfigProblem } from "../config/file-schema.ts";

/** A parsed config.json: snake_case keys, checked by `validateConfig`. */
export type FileConfig = Record<string, unknown>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export async function readConfigJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads and validates; errors throw (every problem listed), warnings are returned. */
export async function readConfigFile(path: string): Promise<{ config: FileConfig; warnings: ConfigProblem[] }> {
  const value = await readConfigJson(path);
  const problems = validateConfig(value);
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length) {
    throw new ConfigError(
      `config file ${path} has ${errors.length} error(s):\n${errors.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
    );
  }
  return { config: value as FileConfig, warnings: problems.filter((p) => p.severity === "warning") };
}

export function resolvePath(path: string, cwd: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
}

export function getPath(object: unknown, path: string): unknown {
  let value = object;
  for (const part of path.split(".")) {
    if (!value || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let target = object;
  for (const part of parts.slice(0, -1)) {
    target[part] ??= {};
    target = target[part] as Record<string, unknown>;
  }
  target[parts.at(-1)!] = value;
}

/** File keys → library options (without storage and logger, which the CLI builds). */
export function toProxyOptions(config: FileConfig, cwd: string): GeminiProxyOptions {
  const options: Record<string, unknown> = {};
  // Table order puts the predecessor's keys first, so `admin.username` wins over `admin_username`.
  for (const field of CONFIG_FIELDS) {
    const value = getPath(config, field.key);
    if (!field.option || value === undefined) continue;
    if (value === null && field.key !== "http_proxy") continue;
    setPath(options, field.option, value);
  }
  if (typeof options.authKeys === "string") options.authKeys = [options.authKeys];
  if (typeof options.credentialsFile === "string") options.credentialsFile = resolvePath(options.credentialsFile, cwd);
  if (options.httpProxy === "") delete options.httpProxy;
  return options as GeminiProxyOptions;
}
