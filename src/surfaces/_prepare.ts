// The I/O before the pure mapping of a neutral chat request to Gemini: the stored thought
// signatures of the tool calls it replays, and the media URLs it points at. Every chat-shaped surface
// (chat, Anthropic, Responses) goes through here, then through chat/to-gemini.ts.
import type { AppContext } from "../http/context.ts";
import { callIdsToLoad } from "../chat/signatures.ts";
import { toGeminiRequest, type GeminiMapping } from "../chat/to-gemini.ts";
import type { ChatRequest } from "../chat/types.ts";
import { loadMedia } from "./_media.ts";
import type { ClientSignal } from "../upstream/transport.ts";

export async function prepareGemini(ctx: AppContext, chat: ChatRequest, signal: ClientSignal): Promise<GeminiMapping> {
  const [signatures, media] = await Promise.all([
    ctx.signatures.load(callIdsToLoad(chat.turns)),
    loadMedia(chat, ctx.media, ctx.options.media, signal),
  ]);
  return toGeminiRequest(chat, { signatures, media });
}
