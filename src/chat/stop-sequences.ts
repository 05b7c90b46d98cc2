// Stop sequences the proxy enforces itself on the answer text (Anthropic's stop_sequences: Gemini's
// STOP does not say whether a sequence matched, and Anthropic clients read which one did). Text that
// could be the start of a sequence is held back until the next piece shows whether it is.

export interface StopScan {
  /** Text that may be shown now. */
  emit: string;
  /** The sequence that matched: everything after it is dropped. */
  matched?: string;
}

export interface StopScanner {
  push(text: string): StopScan;
  /** The held-back text, once no more text follows it. */
  flush(): string;
}

export function createStopScanner(sequences: readonly string[]): StopScanner {
  const seqs = sequences.filter((s) => s.length > 0);
  let held = "";
  return {
    push(text) {
      const all = held + text;
      let best: { at: number; seq: string } | undefined;
      for (const seq of seqs) {
        const at = all.indexOf(seq);
        if (at >= 0 && (!best || at < best.at)) best = { at, seq };
      }
      if (best) {
        held = "";
        return { emit: all.slice(0, best.at), matched: best.seq };
      }
      // Keep the longest tail that starts some sequence (never splitting a surrogate pair).
      let keep = 0;
      for (let k = Math.min(all.length, Math.max(0, ...seqs.map((s) => s.length - 1))); k > 0 && keep === 0; k--) {
        const tail = all.slice(all.length - k);
        if (seqs.some((s) => s.startsWith(tail))) keep = k;
      }
      let cut = all.length - keep;
      if (cut > 0 && cut < all.length && /[\uD800-\uDBFF]/.test(all.charAt(cut - 1))) cut--;
      held = all.slice(cut);
      return { emit: all.slice(0, cut) };
    },
    flush() {
      const out = held;
      held = "";
      return out;
    },
  };
}
