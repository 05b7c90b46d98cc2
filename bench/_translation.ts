// Translation cost of a 1 MB OpenAI conversation into a Gemini request (pure, in process).
import { createModelCatalogue } from "../src/gemini/models.ts";
import { parseChatRequest } from "../src/surfaces/openai/request.ts";

export function translationBench(): { bytes: number; runs: number; medianMs: number } {
  const catalogue = createModelCatalogue();
  const messages: unknown[] = [{ role: "system", content: "You are helpful." }];
  const filler = "lorem ipsum dolor sit amet ".repeat(40); // ~1 KB
  while (JSON.stringify(messages).length < 1_000_000) {
    messages.push({ role: "user", content: filler });
    messages.push({ role: "assistant", content: filler });
  }
  messages.push({ role: "user", content: "and now?" });
  const body = { model: "gemini-2.5-pro", messages };
  const bytes = JSON.stringify(body).length;
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    // The route parses JSON too: include it, as a client's bytes are what arrive.
    const text = JSON.stringify(body);
    const t0 = performance.now();
    parseChatRequest(JSON.parse(text), { catalogue });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { bytes, runs: times.length, medianMs: times[Math.floor(times.length / 2)]! };
}
