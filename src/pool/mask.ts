// Masking for text that leaves the process: emails as logs show them (the predecessor's mask, every
// second character of the local part starred, padded or cut to 12: `u*e*********@gmail.com`), and
// Google's error messages with token and key shapes redacted and emails masked.
export function maskEmail(email: string | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf("@");
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = at >= 0 ? email.slice(at) : "";
  const starred = [...local].map((ch, i) => (i % 2 === 1 ? "*" : ch)).join("");
  return `${starred.padEnd(12, "*").slice(0, 12)}${domain}`;
}

// Google's secret shapes: access tokens, refresh tokens, API keys, OAuth client secrets, and any
// `Bearer` value; long opaque runs (JWTs, hashes of 40+ characters) are cut too.
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/ya29\.[\w.-]+/g, "ya29.***"],
  [/\b1\/\/[\w.-]+/g, "1//***"],
  [/AIza[\w-]{12,}/g, "AIza***"],
  [/GOCSPX-[\w-]+/g, "GOCSPX-***"],
  [/\b(Bearer|key=|access_token=|refresh_token=)\s*[\w.~+/-]+=*/gi, "$1***"],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, "***"],
  [/\b[\w-]{40,}\b/g, "***"],
];
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const MAX_TEXT = 500;

/** An error message fit for the admin page and logs: secrets redacted, emails masked, one line, bounded. */
export function maskErrorText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let out = text.replace(/\s+/g, " ").trim();
  for (const [pattern, replacement] of SECRET_SHAPES) out = out.replace(pattern, replacement);
  out = out.replace(EMAIL_RE, (email) => maskEmail(email) ?? "");
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT - 1)}…` : out;
}
