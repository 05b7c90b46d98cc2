// A finished request record as the usage suites count it: one OpenAI chat on gemini-2.5-pro,
// served by oauth-1 for client key key-aaaa0000, with token counts; `over` changes any field.
import { createRequestRecord, type RequestRecord } from "../src/usage/record.ts";

export const finishedRecord = (over: Partial<RequestRecord> = {}): RequestRecord => ({
  ...createRequestRecord({
    method: "POST",
    path: "/v1/chat/completions",
    surface: "openai",
    clientKey: "key-aaaa0000",
  }),
  model: "gemini-2.5-pro",
  credentialId: "oauth-1",
  attempts: [{ credentialId: "oauth-1", at: Date.now() }],
  outcome: "success",
  status: 200,
  endedAt: Date.now() + 5,
  usage: { prompt: 10, candidates: 5, thoughts: 2, cached: 1, total: 17 },
  ...over,
});
