// Emails as logs and admin answers show them: the predecessor's mask, every second character of
// the local part starred, padded or cut to 12 (`u*e*********@gmail.com`).
export function maskEmail(email: string | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf("@");
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = at >= 0 ? email.slice(at) : "";
  const starred = [...local].map((ch, i) => (i % 2 === 1 ? "*" : ch)).join("");
  return `${starred.padEnd(12, "*").slice(0, 12)}${domain}`;
}
