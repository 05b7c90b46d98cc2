// How a schema entry carries what is not its type: its description, its config.json key and the
// predecessor's aliases, and its default (a valibot `optional` default, so parsing fills it in).
import * as v from "valibot";
import type { Kind } from "./kinds.ts";

export interface FieldMeta {
  /** One line: the README table and the JSON Schema (TSDoc on the entry says more for code). */
  description: string;
  /** config.json key, dotted; default: the option path in snake_case. `false`: code only. */
  file?: string | false;
  /** The predecessor's keys for the same setting; the `file` key wins when both are given. */
  aliases?: readonly string[];
  /** What config.json accepts when it is more than the option (a single auth key, `null`). */
  fileKind?: Kind;
  /** The default in words, when it is not a plain value (generated, from the environment…). */
  defaultText?: string;
}

export const META = "gemini-cli-proxy:field";

/** What metadata holds: the entry's FieldMeta and its kind's phrase. */
export interface TaggedMeta extends FieldMeta {
  phrase: string;
}

function tag<S extends v.GenericSchema>(kind: Kind<S>, meta: FieldMeta) {
  const tagged: TaggedMeta = { ...meta, phrase: kind.phrase };
  return v.pipe(
    kind.of(),
    v.description<v.InferOutput<S>, string>(meta.description),
    v.metadata<v.InferOutput<S>, { [META]: TaggedMeta }>({ [META]: tagged }),
  );
}

/** A setting with no default (unset means off, or decided at run time). */
export function field<S extends v.GenericSchema>(kind: Kind<S>, meta: FieldMeta) {
  return v.optional(tag(kind, meta));
}

/** A setting its group cannot do without (an OAuth client's id and secret). */
export function required<S extends v.GenericSchema>(kind: Kind<S>, meta: FieldMeta) {
  return tag(kind, meta);
}

/** A setting with its default: parsing an options object fills it in. */
export function withDefault<S extends v.GenericSchema, const D extends v.InferOutput<S>>(
  kind: Kind<S>,
  fallback: D,
  meta: FieldMeta,
) {
  return v.optional(tag(kind, meta), fallback as never) as v.OptionalSchema<ReturnType<typeof tag<S>>, D>;
}

/** The settings of one group (an object schema: the exported option types come from these). */
export function section<E extends v.ObjectEntries>(entries: E) {
  return v.object(entries, "an object");
}

/** A nested group; missing means every default of its entries. */
export function group<S extends v.ObjectSchema<v.ObjectEntries, string>>(schema: S) {
  return v.optional(schema, {} as never) as v.OptionalSchema<S, {}>;
}

/** A group that is all or nothing (an OAuth client): no default. */
export function optionalGroup<S extends v.ObjectSchema<v.ObjectEntries, string>>(schema: S) {
  return v.optional(schema);
}

/** The metadata of a field entry (unwrapped from `optional`); groups have none. */
export function metaOf(schema: v.GenericSchema): TaggedMeta | undefined {
  const pipe = (schema as { pipe?: readonly { type: string; metadata?: Record<string, unknown> }[] }).pipe;
  const found = pipe?.find((item) => item.type === "metadata" && item.metadata?.[META]);
  return found?.metadata?.[META] as TaggedMeta | undefined;
}
