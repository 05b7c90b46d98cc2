// `gemini-cli-proxy keys create|list|update|revoke`: managed client keys in the configured storage.
// A running server sees the change within seconds (change notices on redis, the version poll on
// the same fs/memory storage); the plaintext key is printed once, by `create`.
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { commonArgs } from "../args.ts";
import { withAccounts } from "../accounts.ts";
import { withExamples } from "../usage.ts";
import type { ClientKeyPatch, ClientKeyWithUsage } from "../../keys/types.ts";

const limitArgs = {
  models: { type: "string", description: 'Model globs, comma-separated ("gemini-2.5-*,*-flash*"); "" for all' },
  rpm: { type: "string", description: "Requests per minute (none: unlimited)" },
  tpm: { type: "string", description: "Tokens per minute (none: unlimited)" },
  dailyTokens: { type: "string", description: "Tokens per UTC day (none: unlimited)" },
  monthlyTokens: { type: "string", description: "Tokens per UTC month (none: unlimited)" },
  expiresAt: { type: "string", description: "ISO date-time after which the key is refused (none: never)" },
  metadata: { type: "string", description: "Free-form JSON object" },
  json: { type: "boolean", description: "Print JSON" },
} as const satisfies ArgsDef;

type LimitFlags = { [K in keyof typeof limitArgs]?: string | boolean };

/** "none" / "null" / "" clear a limit; anything else goes to the same checks as the admin API. */
const limit = (value: string) =>
  /^(none|null|)$/i.test(value) ? null : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;

export function patchFromFlags(flags: LimitFlags & { name?: string; disabled?: boolean }): ClientKeyPatch {
  const patch: Record<string, unknown> = {};
  if (typeof flags.name === "string") patch.name = flags.name;
  if (typeof flags.models === "string")
    patch.models = flags.models
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
  if (typeof flags.rpm === "string") patch.rpm = limit(flags.rpm);
  if (typeof flags.tpm === "string") patch.tpm = limit(flags.tpm);
  if (typeof flags.dailyTokens === "string") patch.daily_tokens = limit(flags.dailyTokens);
  if (typeof flags.monthlyTokens === "string") patch.monthly_tokens = limit(flags.monthlyTokens);
  if (typeof flags.expiresAt === "string")
    patch.expires_at = /^(none|null|)$/i.test(flags.expiresAt) ? null : flags.expiresAt;
  if (typeof flags.metadata === "string") {
    try {
      patch.metadata = JSON.parse(flags.metadata) as unknown;
    } catch {
      throw new Error("--metadata must be a JSON object");
    }
  }
  if (typeof flags.disabled === "boolean") patch.disabled = flags.disabled;
  return patch as ClientKeyPatch;
}

const show = (n: number | null) => (n === null ? "-" : String(n));

export function formatKeys(keys: ClientKeyWithUsage[]): string {
  if (!keys.length) return "No client keys. Create one with `gemini-cli-proxy keys create NAME`.";
  const rows = [
    ["ID", "NAME", "MODELS", "RPM", "TPM", "DAY", "MONTH", "TOKENS TODAY", "TOKENS MONTH", "STATUS"],
    ...keys.map((k) => [
      k.id,
      k.name,
      k.models.join(",") || "*",
      show(k.rpm),
      show(k.tpm),
      show(k.daily_tokens),
      show(k.monthly_tokens),
      String(k.usage.today.tokens),
      String(k.usage.month.tokens),
      k.disabled ? "disabled" : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? "expired" : "active",
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const createArgs = {
  ...commonArgs,
  name: { type: "positional", description: "Who or what the key is for (shown in usage)", required: true },
  ...limitArgs,
  disabled: { type: "boolean", description: "Create it disabled" },
} as const satisfies ArgsDef;
const createCommand: CommandDef<typeof createArgs> = withExamples(
  defineCommand({
    meta: { name: "create", description: "Create a client key; the key is printed once" },
    args: createArgs,
    run: ({ args }) =>
      withAccounts(args, async ({ proxy }) => {
        const { key, client_key } = await proxy.keys.create(patchFromFlags(args) as never);
        if (args.json) process.stdout.write(`${JSON.stringify({ key, ...client_key }, null, 2)}\n`);
        else
          process.stdout.write(`created ${client_key.id} (${client_key.name}); the key, shown once:\n\n    ${key}\n\n`);
      }),
  }),
  [
    "gemini-cli-proxy keys create alice --models 'gemini-2.5-*' --rpm 30 --daily-tokens 2000000",
    "gemini-cli-proxy keys create ci-bot --tpm 100000 --expires-at 2026-12-31T00:00:00Z -c config.json",
  ],
);

const listArgs = { ...commonArgs, json: limitArgs.json } as const satisfies ArgsDef;
const listCommand: CommandDef<typeof listArgs> = withExamples(
  defineCommand({
    meta: { name: "list", description: "List client keys with their limits and usage today / this month" },
    args: listArgs,
    run: ({ args }) =>
      withAccounts(args, async ({ proxy }) => {
        const keys = await proxy.keys.list();
        process.stdout.write(`${args.json ? JSON.stringify(keys, null, 2) : formatKeys(keys)}\n`);
      }),
  }),
  ["gemini-cli-proxy keys list", "gemini-cli-proxy keys list --json"],
);

const updateArgs = {
  ...commonArgs,
  id: { type: "positional", description: "Key id (ck_...)", required: true },
  name: { type: "string", description: "New name" },
  ...limitArgs,
  disabled: { type: "boolean", description: "--disabled / --no-disabled" },
} as const satisfies ArgsDef;
const updateCommand: CommandDef<typeof updateArgs> = withExamples(
  defineCommand({
    meta: { name: "update", description: "Change a client key's name, models, limits, expiry or state" },
    args: updateArgs,
    run: ({ args }) =>
      withAccounts(args, async ({ proxy }) => {
        const updated = await proxy.keys.update(String(args.id), patchFromFlags(args));
        process.stdout.write(
          args.json ? `${JSON.stringify(updated, null, 2)}\n` : `updated ${updated.id} (${updated.name})\n`,
        );
      }),
  }),
  [
    "gemini-cli-proxy keys update ck_1a2B3c4D5e6F --rpm 60 --tpm none",
    "gemini-cli-proxy keys update ck_1a2B3c4D5e6F --disabled",
  ],
);

const revokeArgs = {
  ...commonArgs,
  id: { type: "positional", description: "Key id (ck_...)", required: true },
} as const satisfies ArgsDef;
const revokeCommand: CommandDef<typeof revokeArgs> = withExamples(
  defineCommand({
    meta: { name: "revoke", description: "Delete a client key for good" },
    args: revokeArgs,
    run: ({ args }) =>
      withAccounts(args, async ({ proxy }) => {
        if (!(await proxy.keys.revoke(String(args.id))))
          throw new Error(`no client key "${args.id}" (see \`keys list\`)`);
        process.stdout.write(`revoked ${args.id}\n`);
      }),
  }),
  ["gemini-cli-proxy keys revoke ck_1a2B3c4D5e6F"],
);

export const keysCommand: CommandDef = withExamples(
  defineCommand({
    meta: { name: "keys", description: "Manage client keys (per person or service: models, rate limits, budgets)" },
    subCommands: { create: createCommand, list: listCommand, update: updateCommand, revoke: revokeCommand },
  }),
  ["gemini-cli-proxy keys create alice --rpm 30", "gemini-cli-proxy keys list", "gemini-cli-proxy keys revoke ck_..."],
);
