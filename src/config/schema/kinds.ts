// Kinds of configuration values: a valibot schema whose every message is the expected value in
// words ("a positive integer"), so one issue reads the same in `config check` ("expected a positive
// integer, got 0") and from createGeminiProxy() ("must be a positive integer (got 0)").
import * as v from "valibot";

/** A value kind: what it must be, in words, and its schema with that phrase (or another) as message. */
export interface Kind<S extends v.GenericSchema = v.GenericSchema> {
  phrase: string;
  of(message?: string): S;
}

function kind<S extends v.GenericSchema>(phrase: string, make: (message: string) => S): Kind<S> {
  return { phrase, of: (message = phrase) => make(message) };
}

/** Arrays the options accept read-only: `readonly string[]` from a caller must type-check. */
export type ReadonlyArraySchema<S extends v.GenericSchema> = v.GenericSchema<
  readonly v.InferInput<S>[],
  readonly v.InferOutput<S>[],
  v.ArrayIssue | v.InferIssue<S>
>;

const plural = (phrase: string) => `${phrase.replace(/^an? /, "")}s`;

export const str = kind("a string", (m) => v.string(m));
export const nonEmpty = kind("a model id", (m) => v.pipe(v.string(m), v.minLength(1, m)));
export const bool = kind("a boolean", (m) => v.boolean(m));
export const httpUrl = kind("an http(s) URL", (m) => v.pipe(v.string(m), v.regex(/^https?:\/\/[^\s/]+/, m)));
/** Seconds and days: fractions allowed. */
export const positive = kind("a positive number", (m) => v.pipe(v.number(m), v.finite(m), v.gtValue(0, m)));
export const positiveInt = kind("a positive integer", (m) => v.pipe(v.number(m), v.integer(m), v.minValue(1, m)));
export const count = atLeast(0);

export function atLeast(min: number) {
  return kind(min === 0 ? "an integer >= 0" : `an integer >= ${min}`, (m) =>
    v.pipe(v.number(m), v.integer(m), v.minValue(min, m)),
  );
}

// The predecessor ran int() on the port, so "8889" is accepted too; the pattern is 0-65535 in digits.
const PORT_DIGITS = /^(\d{1,4}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/;
export const port = kind("an integer 0-65535", (m) =>
  v.union(
    [
      v.pipe(v.number(m), v.integer(m), v.minValue(0, m), v.maxValue(65535, m)),
      v.pipe(v.string(m), v.regex(PORT_DIGITS, m)),
    ],
    m,
  ),
);

export function oneOf<const T extends readonly string[]>(values: T) {
  return kind(`one of ${values.map((x) => JSON.stringify(x)).join(", ")}`, (m) => v.picklist(values, m));
}

/** Any case, as a pattern (so the JSON Schema says the same), e.g. Python's "WARNING". */
export function oneOfAnyCase(values: readonly string[]) {
  const letters = (word: string) =>
    [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join("");
  const pattern = new RegExp(`^(${values.map(letters).join("|")})$`);
  return kind(`one of ${values.map((x) => JSON.stringify(x)).join(", ")} (any case)`, (m) =>
    v.pipe(v.string(m), v.regex(pattern, m), v.examples(values)),
  );
}

export function nullable<S extends v.GenericSchema>(inner: Kind<S>) {
  return kind(`${inner.phrase} or null`, (m) => v.nullable(inner.of(m)));
}

/** An issue inside the array names its item (`auth_keys[1]: expected a string`). */
export function arrayOf<S extends v.GenericSchema>(item: Kind<S>, items = plural(item.phrase)) {
  return kind(`an array of ${items}`, (m) => v.array(item.of(), m) as unknown as ReadonlyArraySchema<S>);
}

export function recordOf<S extends v.GenericSchema>(value: Kind<S>, what: string) {
  return kind(`an object of ${what}`, (m) => v.record(v.string(), value.of(), m));
}

export function either<A extends v.GenericSchema, B extends v.GenericSchema>(a: Kind<A>, b: Kind<B>) {
  return kind(`${a.phrase} or ${b.phrase}`, (m) => v.union([a.of(), b.of()], m));
}

/** A value only code can give (functions, stores): checked by `accept`, typed by hand. */
export function custom<T>(phrase: string, accept: (value: unknown) => boolean) {
  return kind(phrase, (m) => v.custom<T>(accept, m));
}

/** An object with a string `id` and anything else (a model), typed by hand. */
export function withId<T extends { id: string }>(phrase: string) {
  return kind(phrase, (m) => v.looseObject({ id: v.string(m) }, m) as unknown as v.GenericSchema<T, T>);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
