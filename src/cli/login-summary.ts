// What `login` prints once an account is in, the same block whether it went to the local storage
// or to a running server (whose admin API masks the project), plus the waiting messages shown
// while Google checks and onboards the account.

export interface AccountSummary {
  email?: string | null;
  project?: string | null;
  tier?: string | null;
  status: string;
  reason?: string | null;
  link?: string | null;
}

export function formatSummary(s: AccountSummary): string {
  const rows: [string, string | null | undefined][] = [
    ["email", s.email],
    ["project", s.project],
    ["tier", s.tier],
    ["status", `${s.status}${s.reason ? ` (${s.reason})` : ""}`],
    ["link", s.link],
  ];
  return rows
    .filter(([, value]) => value)
    .map(([name, value]) => `  ${name.padEnd(8)}${value}`)
    .join("\n");
}

/**
 * Prints "Checking the account with Google…" now and, if that takes longer than `afterMs`, that
 * Code Assist is being set up (onboarding can take several seconds). Returns the stop function.
 */
export function progressMessages(print: (text: string) => void, afterMs = 1000): () => void {
  print("Checking the account with Google…");
  const timer = setTimeout(() => print("Setting up Code Assist (this can take a few seconds)…"), afterMs);
  return () => clearTimeout(timer);
}
