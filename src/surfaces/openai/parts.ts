// OpenAI content parts → neutral content blocks (docs/openai-mapping.md#part-mapping): text,
// image_url (data URI, Gemini file URI or an http(s) URL the route fetches), input_audio, file (data
// URI, e.g. PDFs from the AI SDK). Unknown part keys (cache_control…) are ignored.

import { invalidParam } from "../../chat/errors.ts";
import { inlineSource, urlSource } from "../../chat/media.ts";
import type { ContentBlock } from "../../chat/types.ts";
import { isRecord } from "../../chat/values.ts";

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

/** One user-message content part (undefined for empty text). */
export function contentPart(part: unknown, param: string): ContentBlock | undefined {
  if (typeof part === "string") return part.length ? { type: "text", text: part } : undefined;
  if (!isRecord(part)) throw invalidParam(param, `Invalid type for '${param}': expected an object.`, "invalid_type");
  switch (part.type) {
    case "text":
    case "input_text": {
      if (typeof part.text !== "string")
        throw invalidParam(`${param}.text`, `Invalid type for '${param}.text': expected a string.`, "invalid_type");
      return part.text.length ? { type: "text", text: part.text } : undefined;
    }
    case "image_url": {
      const img = part.image_url;
      const url = typeof img === "string" ? img : isRecord(img) ? img.url : undefined;
      const p = typeof img === "string" ? `${param}.image_url` : `${param}.image_url.url`;
      return { type: "media", source: urlSource(url, `${param}.image_url.url`), param: p };
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
      const p = `${param}.input_audio.data`;
      return { type: "media", source: inlineSource(a.data, mimeType, p), param: p };
    }
    case "file": {
      const f = part.file;
      if (!isRecord(f))
        throw invalidParam(`${param}.file`, `Invalid type for '${param}.file': expected an object.`, "invalid_type");
      const p = `${param}.file.file_data`;
      if (typeof f.file_data === "string") return { type: "media", source: urlSource(f.file_data, p), param: p };
      if (f.file_id !== undefined)
        throw invalidParam(
          `${param}.file.file_id`,
          "file_id is not supported; send file_data as a data URI.",
          "unsupported_parameter",
        );
      throw invalidParam(p, `Missing '${p}'.`);
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
