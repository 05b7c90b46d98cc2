// UTC windows the limits count in: the minute (rpm, tpm), the day and the month (budgets), with the
// time each one ends (Retry-After, "resets at").

export interface Periods {
  minute: number;
  day: string;
  month: string;
  minuteEnds: number;
  dayEnds: number;
  monthEnds: number;
}

export function periodsAt(now: number): Periods {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const minute = Math.floor(now / 60_000);
  const day = d.toISOString().slice(0, 10).replace(/-/g, "");
  return {
    minute,
    day,
    month: day.slice(0, 6),
    minuteEnds: (minute + 1) * 60_000,
    dayEnds: Date.UTC(y, m, d.getUTCDate() + 1),
    monthEnds: Date.UTC(y, m + 1, 1),
  };
}
