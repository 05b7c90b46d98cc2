// A Chat Completions body → the Gemini request plan, with the I/O the pure translation needs done
// first: stored thought signatures of the tool calls it replays, and the media URLs it points at.
// Shared by every surface that goes through the chat translation (chat, Anthropic, Responses).
import {
  collectUnsignedToolCallIds,
  parseChatRequest,
  type ChatPlan,
  type ChatRequestOptions,
} from "./openai/request.ts";
import type { JsonObject } from "../chat/values.ts";
import type { AppContext } from "../http/context.ts";
import { loadMedia } from "./_media.ts";

export async function planChat(
  ctx: AppContext,
  chat: JsonObject,
  signal: AbortSignal,
  output: Pick<ChatRequestOptions, "reasoningOutput" | "includeThoughts">,
): Promise<ChatPlan> {
  const [signatures, media] = await Promise.all([
    ctx.signatures.load(collectUnsignedToolCallIds(chat)),
    loadMedia(chat, ctx.media, ctx.options.media, signal),
  ]);
  return parseChatRequest(chat, { catalogue: ctx.catalogue, signatures, media, ...output });
}
