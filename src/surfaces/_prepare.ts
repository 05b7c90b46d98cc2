// The I/O before the pure mapping of a neutral chat request to Gemini: the stored thought
// signatures of the tool calls it replays, and the media URLs it points at. Every chat-shaped surface
// (chat, Anthropic, Responses) goes through here, then through chat/to-gemini.ts.
import type { AppContext } from "../http/context.ts";
import { callIdsToLoad } from "../chat/signatures.ts";
import { mediaUrls } from "../chat/media.ts";
import { toGeminiRequest, type GeminiMapping, type GeminiMappingContext } from "../chat/to-gemini.ts";
import type { ChatRequest } from "../chat/types.ts";
import { loadMedia } from "./_media.ts";
import type { ClientSignal } from "../upstream/transport.ts";

const NOTHING_LOADED: GeminiMappingContext = { signatures: new Map(), media: new Map() };

/**
 * The Gemini request. Mapped at once when there is nothing to load (most requests: no replayed
 * tool call without its signature, no media URL), without the promises of the two loads.
 */
export function prepareGemini(
  ctx: AppContext,
  chat: ChatRequest,
  signal: ClientSignal,
): GeminiMapping | Promise<GeminiMapping> {
  const ids = callIdsToLoad(chat.turns);
  if (ids.length === 0 && mediaUrls(chat).size === 0) return toGeminiRequest(chat, NOTHING_LOADED);
  return Promise.all([ctx.signatures.load(ids), loadMedia(chat, ctx.media, ctx.options.media, signal)]).then(
    ([signatures, media]) => toGeminiRequest(chat, { signatures, media }),
  );
}
