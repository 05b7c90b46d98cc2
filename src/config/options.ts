// Options of createGeminiProxy(): the types come from the schema (schema/options.ts), whose entries
// carry the documentation; values only code can give (functions, stores) are typed there by hand.
import type * as v from "valibot";
import type { adminSchema, anthropicSchema, embeddingsSchema, poolSchema } from "./schema/groups.ts";
import type { responsesSchema, usageSchema } from "./schema/groups.ts";
import type { optionsSchema } from "./schema/options.ts";

export type { AuthKeysOption, Logger } from "../types.ts";

type OptionsInput = v.InferInput<typeof optionsSchema>;

/** Options of `createGeminiProxy()`. Every setting of the CLI's config file has its camelCase twin here. */
export interface GeminiProxyOptions extends OptionsInput {}

/** How the credential pool chooses, retries and cools down credentials. */
export type PoolOptions = v.InferInput<typeof poolSchema>;

/** Admin API and page access: HTTP Basic / page login with `username` + `password`. */
export type AdminOptions = v.InferInput<typeof adminSchema>;

/** Usage ledger retention and the periodic usage summary in the log. */
export type UsageOptions = v.InferInput<typeof usageSchema>;

/** Options of the Anthropic Messages surface (`/v1/messages`). */
export type AnthropicOptions = v.InferInput<typeof anthropicSchema>;

/** Options of the OpenAI Responses surface (`/v1/responses`). */
export type ResponsesOptions = v.InferInput<typeof responsesSchema>;

/** Options of the embeddings surface (`/v1/embeddings`). */
export type EmbeddingsOptions = v.InferInput<typeof embeddingsSchema>;
