// OpenAI content parts → Gemini parts (docs/openai-mapping.md#messages-and-roles, docs/openai-mapping.md#parts-and-thought-signatures): text, image_url (data URI or a
// pre-fetched http(s) URL), input_audio, file (PDF data URI). Unknown part keys are ignored.

import type { GeminiPart } from "../../gemini/types.ts";
import { invalidParam } from "./errors.ts";
import { isRecord } from "../../chat/values.ts";

export type MediaMap = ReadonlyMap<string, { mimeType: string; data: string }>;

const DATA_URI = /^data:([^;,]+)?((?:;[^;,]*)*?);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const AUDIO_MIME: Record<string, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  mpeg: "audio/mpeg",
  flac: "audio/flac",
  ogg: "audio/ogg",
  opus: "audio/ogg",
  aac: "audio/aac",
  aiff: "audio/aiff",
  webm: "audio/webm",
  m4a: "audio/mp4",
  pcm16: "audio/pcm",
};

/** Google-hosted URIs Gemini reads itself (Files API, YouTube): sent as fileData, never fetched. */
export function isGeminiFileUri(url: string): boolean {
  return (
    /^https:\/\/generativelanguage\.googleapis\.com\/v1beta\/files\//.test(url) ||
    /^https?:\/\/(www\.)?(youtube\.com\/watch\?|youtu\.be\/)/.test(url) ||
    url.startsWith("gs://")
  );
}

/** http(s) URLs the route must fetch before parseChatRequest (everything but Gemini file URIs). */
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

/** A URL from image_url / file_data → inlineData or fileData. */
export function urlToPart(url: unknown, param: string, media: MediaMap | undefined): GeminiPart {
  if (typeof url !== "string" || url.length === 0) throw invalidParam(param, `Missing or invalid URL at '${param}'.`);
  if (url.startsWith("data:")) return { inlineData: parseDataUri(url, param) };
  if (isGeminiFileUri(url)) {
    const mimeType = /youtu/.test(url) ? "video/*" : undefined;
    return { fileData: mimeType ? { mimeType, fileUri: url } : { fileUri: url } };
  }
  if (!isFetchableUrl(url))
    throw invalidParam(param, `Invalid URL at '${param}': expected a data URI or an http(s) URL.`);
  const fetched = media?.get(url);
  if (!fetched) throw invalidParam(param, `Could not load the URL at '${param}'.`, "invalid_image_url");
  return { inlineData: { mimeType: fetched.mimeType, data: fetched.data } };
}

/** One user-message content part. */
export function contentPart(part: unknown, param: string, media: MediaMap | undefined): GeminiPart | undefined {
  if (typeof part === "string") return part.length ? { text: part } : undefined;
  if (!isRecord(part)) throw invalidParam(param, `Invalid type for '${param}': expected an object.`, "invalid_type");
  switch (part.type) {
    case "text":
    case "input_text": {
      if (typeof part.text !== "string")
        throw invalidParam(`${param}.text`, `Invalid type for '${param}.text': expected a string.`, "invalid_type");
      return part.text.length ? { text: part.text } : undefined;
    }
    case "image_url": {
      const img = part.image_url;
      const url = typeof img === "string" ? img : isRecord(img) ? img.url : undefined;
      return urlToPart(url, `${param}.image_url.url`, media);
    }
    case "input_audio": {
      const a = part.input_audio;
      if (!isRecord(a) || typeof a.data !== "string" || a.data.length === 0) {
        throw invalidParam(`${param}.input_audio.data`, `Missing audio data at '${param}.input_audio.data'.`);
      }
      const format = typeof a.format === "string" ? a.format.toLowerCase() : "";
      const mimeType = AUDIO_MIME[format];
      if (!mimeType)
        throw invalidParam(`${param}.input_audio.format`, `Unsupported audio format ${JSON.stringify(a.format)}.`);
      const data = a.data.replace(/\s+/g, "");
      if (!BASE64.test(data))
        throw invalidParam(`${param}.input_audio.data`, `Invalid base64 data at '${param}.input_audio.data'.`);
      return { inlineData: { mimeType, data } };
    }
    case "file": {
      const f = part.file;
      if (!isRecord(f))
        throw invalidParam(`${param}.file`, `Invalid type for '${param}.file': expected an object.`, "invalid_type");
      if (typeof f.file_data === "string") return urlToPart(f.file_data, `${param}.file.file_data`, media);
      if (f.file_id !== undefined)
        throw invalidParam(
          `${param}.file.file_id`,
          "file_id is not supported; send file_data as a data URI.",
          "unsupported_parameter",
        );
      throw invalidParam(`${param}.file.file_data`, `Missing '${param}.file.file_data'.`);
    }
    default:
      throw invalidParam(
        `${param}.type`,
        `Unsupported content part type ${JSON.stringify(part.type)} at '${param}.type'.`,
        "unsupported_parameter",
      );
  }
}

/** Plain text of a string or an array of text (and refusal) parts; other parts are ignored. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) =>
      typeof p === "string"
        ? p
        : isRecord(p)
          ? typeof p.text === "string"
            ? p.text
            : typeof p.refusal === "string"
              ? p.refusal
              : ""
          : "",
    )
    .join("");
}
