// Media parts of the neutral request: data URIs and URLs read into a MediaSource by the surfaces,
// and sources turned into Gemini parts (docs/openai-mapping.md#part-mapping). http(s) URLs are
// fetched by the route beforehand (surfaces/_media.ts) and read here from a map: the mapping is pure.

import type { GeminiPart } from "../gemini/types.ts";
import { invalidParam } from "./errors.ts";
import type { ChatRequest, MediaSource } from "./types.ts";

export type MediaMap = ReadonlyMap<string, { mimeType: string; data: string }>;

const DATA_URI = /^data:([^;,]+)?((?:;[^;,]*)*?);base64,(.*)$/s;
export const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Google-hosted URIs Gemini reads itself (Files API, YouTube): sent as fileData, never fetched. */
export function isGeminiFileUri(url: string): boolean {
  return (
    /^https:\/\/generativelanguage\.googleapis\.com\/v1beta\/files\//.test(url) ||
    /^https?:\/\/(www\.)?(youtube\.com\/watch\?|youtu\.be\/)/.test(url) ||
    url.startsWith("gs://")
  );
}

/** http(s) URLs the route must fetch (everything but Gemini file URIs). */
export function isFetchableUrl(url: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(url) && !isGeminiFileUri(url);
}

export function parseDataUri(uri: string, param: string): { mimeType: string; data: string } {
  const m = DATA_URI.exec(uri);
  if (!m) throw invalidParam(param, `Invalid data URI at '${param}': expected data:<mime>;base64,<data>.`);
  const data = (m[3] as string).replace(/\s+/g, "");
  if (data.length === 0 || !BASE64.test(data)) throw invalidParam(param, `Invalid base64 data at '${param}'.`);
  return { mimeType: m[1] ?? "application/octet-stream", data };
}

/** Base64 data with its MIME type (Anthropic's base64 sources, OpenAI's input_audio). */
export function inlineSource(data: string, mimeType: string, param: string): MediaSource {
  const clean = data.replace(/\s+/g, "");
  if (clean.length === 0 || !BASE64.test(clean)) throw invalidParam(param, `Invalid base64 data at '${param}'.`);
  return { kind: "inline", mimeType, data: clean };
}

/** A URL a client gave for an image or file: a data URI, a Gemini file URI or an http(s) URL. */
export function urlSource(url: unknown, param: string): MediaSource {
  if (typeof url !== "string" || url.length === 0) throw invalidParam(param, `Missing or invalid URL at '${param}'.`);
  if (url.startsWith("data:")) return { kind: "inline", ...parseDataUri(url, param) };
  if (isGeminiFileUri(url))
    return /youtu/.test(url) ? { kind: "file", uri: url, mimeType: "video/*" } : { kind: "file", uri: url };
  if (!isFetchableUrl(url))
    throw invalidParam(param, `Invalid URL at '${param}': expected a data URI or an http(s) URL.`);
  return { kind: "url", url };
}

/** The Gemini part for a source (URLs from the map the route filled). */
export function mediaPart(source: MediaSource, param: string, media: MediaMap | undefined): GeminiPart {
  switch (source.kind) {
    case "inline":
      return { inlineData: { mimeType: source.mimeType, data: source.data } };
    case "file":
      return {
        fileData: source.mimeType ? { mimeType: source.mimeType, fileUri: source.uri } : { fileUri: source.uri },
      };
    case "url": {
      const fetched = media?.get(source.url);
      if (!fetched) throw invalidParam(param, `Could not load the URL at '${param}'.`, "invalid_image_url");
      return { inlineData: { mimeType: fetched.mimeType, data: fetched.data } };
    }
  }
}

/** The http(s) URLs to fetch, each with the client's path to its first use. */
export function mediaUrls(chat: Pick<ChatRequest, "turns">): Map<string, string> {
  const urls = new Map<string, string>();
  for (const turn of chat.turns)
    for (const b of turn.blocks)
      if (b.type === "media" && b.source.kind === "url" && !urls.has(b.source.url)) urls.set(b.source.url, b.param);
  return urls;
}
