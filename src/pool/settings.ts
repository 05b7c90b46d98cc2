// Pool settings: the `pool` option with its defaults applied. Defaults and checks live in the options
// schema (config/schema/groups.ts); this names the result for the pool and dispatch.
import * as v from "valibot";
import { poolSchema } from "../config/schema/groups.ts";

/** Resolved pool settings (the defaults applied to `PoolOptions`). */
export type PoolSettings = v.InferOutput<typeof poolSchema>;

const defaults = v.parse(poolSchema, {});

/** The pool's defaults, as the schema states them. */
export const DEFAULT_POOL_SETTINGS: Readonly<PoolSettings> = Object.freeze({
  ...defaults,
  healthCheck: Object.freeze(defaults.healthCheck),
});
