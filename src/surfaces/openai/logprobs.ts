// Gemini logprobsResult → OpenAI choice.logprobs ({content:[{token, logprob, bytes, top_logprobs}], refusal}).

import { isRecord } from "../../chat/values.ts";

interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

const encoder = new TextEncoder();

function entry(c: unknown): TokenLogprob | undefined {
  if (!isRecord(c) || typeof c.token !== "string") return undefined;
  const lp = typeof c.logProbability === "number" ? c.logProbability : 0;
  return { token: c.token, logprob: lp, bytes: [...encoder.encode(c.token)] };
}

export function toOpenAILogprobs(
  result: unknown,
): { content: (TokenLogprob & { top_logprobs: TokenLogprob[] })[]; refusal: null } | null {
  if (!isRecord(result) || !Array.isArray(result.chosenCandidates)) return null;
  const top = Array.isArray(result.topCandidates) ? result.topCandidates : [];
  const content = result.chosenCandidates.flatMap((c, i) => {
    const e = entry(c);
    if (!e) return [];
    const alts = top[i];
    const list = isRecord(alts) && Array.isArray(alts.candidates) ? alts.candidates : [];
    return [Object.assign({}, e, { top_logprobs: list.flatMap((a) => entry(a) ?? []) })];
  });
  return { content, refusal: null };
}
