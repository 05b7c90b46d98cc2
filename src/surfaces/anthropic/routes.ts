// Anthropic Messages surface: POST /v1/messages and /v1/messages/count_tokens (also `?beta=true`, as
// Claude Code calls them), with or without the /v1 prefix. The body becomes a Chat Completions body
// (content.ts, request.ts) and goes through the one translation to Gemini (parseChatRequest: tools, schema
// cleanup, thinking clamp, stored signatures, media), the one dispatch path, and back through the
// shared block assembler (src/chat/blocks.ts) into Anthropic's JSON or event stream.
import { randomBytes } from "node:crypto";
import type { H3, H3Event } from "h3";
import { mapAnthropicModel } from "./models.ts";
import { parseAnthropicRequest } from "./request.ts";
import { toAnthropicMessage } from "./response.ts";
import { createAnthropicStream, PING } from "./stream.ts";
import type { CountTokensRequest, GenerateContentRequest } from "../../gemini/types.ts";
import { invalidParam, OpenAIError } from "../openai/errors.ts";
import { collectBlocks, type BlockOptions } from "../../chat/blocks.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import type { AppContext } from "../../http/context.ts";
import { recordOf } from "../../http/request-record.ts";
import { anthropicFailure, toAnthropicWire } from "./failure.ts";
import { streamBlocks } from "../_block-stream.ts";
import { planChat } from "../_chat-plan.ts";
import { openAIErrorClass } from "../openai/failure.ts";
import { defineSurfaceRoute, readJsonObject } from "../_route.ts";

const hex = (): string => randomBytes(12).toString("hex");

/** countTokens on Code Assist reads only `contents`: system prompt and tool declarations ride in the first turn. */
export function countableContents(request: GenerateContentRequest): CountTokensRequest {
  const extra: string[] = [];
  for (const p of request.systemInstruction?.parts ?? []) if (typeof p.text === "string") extra.push(p.text);
  const decls = (request.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  if (decls.length) extra.push(JSON.stringify(decls));
  const contents = request.contents.map((c) => ({ ...c, parts: [...c.parts] }));
  if (extra.length && contents[0]) contents[0].parts.unshift({ text: extra.join("\n\n") });
  return { contents };
}

async function messages(event: H3Event, ctx: AppContext, countOnly: boolean): Promise<Response> {
  const record = recordOf(event);
  const signal = event.req.signal;
  const body = await readJsonObject(event, ctx);
  if (typeof body.model !== "string" || body.model.length === 0)
    throw invalidParam("model", "model: Field required.", "missing_required_parameter");
  const mapping = mapAnthropicModel(body.model, ctx.options.anthropic, ctx.catalogue);
  if (!mapping.model) {
    const why = mapping.target
      ? `maps to ${mapping.target}, which is not in the model catalogue`
      : "is neither a Gemini model nor a Claude name (see the anthropic.modelMap option)";
    throw new OpenAIError(404, `model: ${body.model} ${why}.`, {
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    });
  }
  record.model = mapping.model.id;
  const request = parseAnthropicRequest(body, mapping.model.id, { countOnly });
  record.stream = request.stream;
  const plan = await planChat(ctx, request.chat, signal, {
    reasoningOutput: "reasoning_content",
    includeThoughts: false,
  });
  const headers = { "x-request-id": record.id, "request-id": record.id };

  if (countOnly) {
    const result = await ctx.dispatcher.countTokens(plan.model.upstream, countableContents(plan.request), {
      signal,
      surface: "anthropic",
      record,
    });
    return Response.json({ input_tokens: result.value.totalTokens }, { headers });
  }

  const blocks: BlockOptions = {
    toolNames: plan.toolNames,
    newToolId: () => `toolu_${hex()}`,
    signatureBlocks: request.thinking,
  };
  const reply = { id: `msg_${hex()}`, model: body.model };
  if (request.stream) {
    const writer = createAnthropicStream({ ...reply, blocks });
    return streamBlocks({
      ctx,
      record,
      model: plan.model.upstream,
      request: plan.request,
      surface: "anthropic",
      clientSignal: signal,
      writer,
      errorEvent: (error) => {
        const wire = toAnthropicWire(error, record.model);
        if (wire.status === 500) ctx.logger.error("anthropic stream:", error);
        return writer.error(wire.body);
      },
      keepAlive: PING,
      errorClass: openAIErrorClass,
      beforeEnd: () => ctx.signatures.save(writer.signatures()),
      headers: { "request-id": record.id },
    });
  }
  const result = await ctx.dispatcher.generate(plan.model.upstream, plan.request, {
    signal,
    surface: "anthropic",
    record,
  });
  record.usage = tokenUsageOf(result.value.usageMetadata);
  const summary = collectBlocks(result.value, blocks);
  await ctx.signatures.save(summary.signatures);
  return Response.json(toAnthropicMessage(summary, reply), { headers });
}

export function registerAnthropicRoutes(app: H3, ctx: AppContext): void {
  const create = defineSurfaceRoute(ctx, anthropicFailure, (event) => messages(event, ctx, false));
  const count = defineSurfaceRoute(ctx, anthropicFailure, (event) => messages(event, ctx, true));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/messages`, create);
    app.post(`${prefix}/messages/count_tokens`, count);
  }
}
