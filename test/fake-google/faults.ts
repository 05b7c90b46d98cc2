// Fault injection rules: first matching rule with uses left wins; `times` counts down per match.
import type { FakeRequestRecord, FaultRule } from "./types.ts";

/** Actions a rule without `match.action` applies to. */
export const DEFAULT_FAULT_ACTIONS = ["generateContent", "streamGenerateContent", "countTokens"];

interface Entry {
  rule: FaultRule;
  left: number;
}

export interface Faults {
  inject(rule: FaultRule): FaultRule;
  clear(): void;
  /** Consumes one use of the first rule matching the request. */
  take(record: FakeRequestRecord): FaultRule | undefined;
  /** Rules that still have uses left (without consuming them). */
  pending(): FaultRule[];
}

export function ruleMatches(rule: FaultRule, record: FakeRequestRecord): boolean {
  const m = rule.match ?? {};
  if (m.action !== undefined ? m.action !== record.action : !DEFAULT_FAULT_ACTIONS.includes(record.action ?? "")) {
    return false;
  }
  if (m.email !== undefined && m.email !== record.email) return false;
  if (m.apiKey !== undefined && m.apiKey !== record.apiKey) return false;
  if (m.model !== undefined && m.model !== record.model) return false;
  return true;
}

export function createFaults(): Faults {
  let entries: Entry[] = [];
  return {
    inject(rule) {
      entries.push({ rule, left: rule.times ?? 1 });
      return rule;
    },
    clear() {
      entries = [];
    },
    take(record) {
      const entry = entries.find((e) => e.left > 0 && ruleMatches(e.rule, record));
      if (!entry) return undefined;
      entry.left -= 1;
      return entry.rule;
    },
    pending() {
      return entries.filter((e) => e.left > 0).map((e) => e.rule);
    },
  };
}
