// Model globs: `*` matches any run of characters, `?` one; everything else is literal. Checked once
// when a key is saved, compiled to one anchored RegExp per key.

const ALLOWED = /^[A-Za-z0-9._\-/:@*?]+$/;

/** Why `pattern` is not a model glob, or undefined when it is one. */
export function globProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== "string" || !pattern) return "must be a non-empty string";
  if (pattern.length > 200) return "is longer than 200 characters";
  if (!ALLOWED.test(pattern)) return `"${pattern}" may only hold letters, digits, . _ - / : @ and the wildcards * ?`;
  if (/\*\*/.test(pattern)) return `"${pattern}" has "**": one * already matches any run of characters`;
  return undefined;
}

/** A test for model ids; an empty list allows every model. */
export function compileModels(patterns: readonly string[]): (model: string) => boolean {
  if (!patterns.length) return () => true;
  const source = patterns
    .map((p) =>
      p
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, "."),
    )
    .join("|");
  const re = new RegExp(`^(?:${source})$`);
  return (model) => re.test(model);
}
