// Anthropic Messages surface: POST /v1/messages and /v1/messages/count_tokens (also `?beta=true`, as
// Claude Code calls them), with or without the /v1 prefix. The body is read straight into the neutral
// chat request (request.ts, content.ts), mapped to Gemini by the core, dispatched, and the answer
// rendered from the core's blocks as Anthropic JSON (response.ts) or events (stream.ts, one driver).
import { newId } from "../_ids.ts";
import type { H3, H3Event } from "h3";
import { mapAnthropicModel } from "./models.ts";
import { parseAnthropicRequest } from "./request.ts";
import { toAnthropicMessage } from "./response.ts";
import { createAnthropicStream, PING } from "./stream.ts";
import type { CountTokensRequest, GenerateContentRequest } from "../../gemini/types.ts";
import { invalidParam, modelNotFound } from "../../chat/errors.ts";
import { collectBlocks, type BlockOptions } from "../../chat/blocks.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import type { AppContext } from "../../http/context.ts";
import { recordOf } from "../../http/request-record.ts";
import { apiJson } from "../../http/api-answer.ts";
import { clientSignalOf } from "../../http/client-signal.ts";
import { anthropicFailure, toAnthropicWire } from "./failure.ts";
import { sseHeaders } from "../_stream-response.ts";
import { streamSurface } from "../_stream.ts";
import { prepareGemini } from "../_prepare.ts";
import { defineSurfaceRoute, readJsonObject } from "../_route.ts";

/** countTokens on Code Assist reads only `contents`: system prompt and tool declarations ride in the first turn. */
export function countableContents(request: GenerateContentRequest): CountTokensRequest {
  const extra: string[] = [];
  for (const p of request.systemInstruction?.parts ?? []) if (typeof p.text === "string") extra.push(p.text);
  const decls = (request.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  if (decls.length) extra.push(JSON.stringify(decls));
  const contents = request.contents.map((c) => Object.assign({}, c, { parts: [...c.parts] }));
  if (extra.length && contents[0]) contents[0].parts.unshift({ text: extra.join("\n\n") });
  return { contents };
}

async function messages(event: H3Event, ctx: AppContext, countOnly: boolean): Promise<Response> {
  const record = recordOf(event);
  const signal = clientSignalOf(event);
  const body = await readJsonObject(event, ctx);
  if (typeof body.model !== "string" || body.model.length === 0)
    throw invalidParam("model", "model: Field required.", "missing_required_parameter");
  const mapping = mapAnthropicModel(body.model, ctx.options.anthropic, ctx.catalogue);
  if (!mapping.model) {
    const why = mapping.target
      ? `maps to ${mapping.target}, which is not in the model catalogue`
      : "is neither a Gemini model nor a Claude name (see the anthropic.modelMap option)";
    throw modelNotFound(body.model, `model: ${body.model} ${why}.`);
  }
  record.model = mapping.model.id;
  const { chat, thinking, stopSequences } = parseAnthropicRequest(body, mapping.model, { countOnly });
  record.stream = chat.stream;
  const prepared = prepareGemini(ctx, chat, signal);
  const { request, toolNames } = prepared instanceof Promise ? await prepared : prepared; // sync without media
  const headers = { "x-request-id": record.id, "request-id": record.id };
  const json = (body: unknown) => apiJson(body, record.id, { "request-id": record.id });

  if (countOnly) {
    const result = await ctx.dispatcher.countTokens(chat.model.upstream, countableContents(request), {
      signal,
      surface: "anthropic",
      record,
    });
    return json({ input_tokens: result.value.totalTokens ?? 0 });
  }

  const blocks: BlockOptions = {
    toolNames,
    newToolId: () => newId("toolu_"),
    signatureBlocks: thinking,
    stopSequences,
  };
  const reply = { id: newId("msg_"), model: body.model };
  if (chat.stream) {
    const writer = createAnthropicStream({ id: reply.id, model: reply.model, blocks });
    return streamSurface({
      ctx,
      record,
      model: chat.model.upstream,
      request,
      surface: "anthropic",
      clientSignal: signal,
      writer: {
        prelude: (early) => (early ? undefined : writer.opening()),
        push: (chunk) => writer.push(chunk),
        stopped: () => writer.stopped(),
        finish: () => writer.finish(),
        error: (error) => {
          const wire = toAnthropicWire(error, record.model);
          if (wire.status === 500) ctx.logger.error("anthropic stream:", error);
          return writer.error(wire.body);
        },
        keepAlive: PING,
      },
      beforeEnd: () => ctx.signatures.save(writer.signatures()),
      headers: sseHeaders(headers),
    });
  }
  const result = await ctx.dispatcher.generate(chat.model.upstream, request, { signal, surface: "anthropic", record });
  record.usage = tokenUsageOf(result.value.usageMetadata);
  const summary = collectBlocks(result.value, blocks);
  if (summary.signatures.length > 0) await ctx.signatures.save(summary.signatures);
  return json(toAnthropicMessage(summary, reply));
}

export function registerAnthropicRoutes(app: H3, ctx: AppContext): void {
  const create = defineSurfaceRoute(ctx, anthropicFailure, (event) => messages(event, ctx, false));
  const count = defineSurfaceRoute(ctx, anthropicFailure, (event) => messages(event, ctx, true));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/messages`, create);
    app.post(`${prefix}/messages/count_tokens`, count);
  }
}
