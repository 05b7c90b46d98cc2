// Fetching the http(s) image/file URLs of a chat request before translation (parseChatRequest is
// pure and reads them from a map). A URL that cannot be used is a 400 naming its message part.
import { invalidParam } from "./openai/errors.ts";
import { collectMediaUrls } from "./openai/request.ts";
import { isRecord } from "../chat/values.ts";
import { MediaFetchError, type FetchedMedia, type MediaFetcher } from "./_media-fetch.ts";

/** The param path of the first message part that carries `url`. */
export function mediaParam(body: unknown, url: string): string {
  const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
  for (const [i, m] of messages.entries()) {
    if (!isRecord(m) || !Array.isArray(m.content)) continue;
    for (const [j, part] of m.content.entries()) {
      if (!isRecord(part)) continue;
      const p = `messages[${i}].content[${j}]`;
      if (part.image_url === url) return `${p}.image_url`;
      if (isRecord(part.image_url) && part.image_url.url === url) return `${p}.image_url.url`;
      if (isRecord(part.file) && part.file.file_data === url) return `${p}.file.file_data`;
    }
  }
  return "messages";
}

export async function loadMedia(
  body: unknown,
  fetcher: MediaFetcher,
  limits: { maxUrls: number },
  signal: AbortSignal,
): Promise<Map<string, FetchedMedia>> {
  const media = new Map<string, FetchedMedia>();
  const urls = collectMediaUrls(body);
  if (urls.length === 0) return media;
  if (urls.length > limits.maxUrls) {
    throw invalidParam(
      "messages",
      `Too many image/file URLs (${urls.length}); the limit is ${limits.maxUrls}. Send the others as data URIs.`,
      "too_many_urls",
    );
  }
  // The first unusable URL answers the request; the other fetches are cancelled.
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  await Promise.all(
    urls.map(async (url) => {
      try {
        media.set(url, await fetcher.fetch(url, both));
      } catch (error) {
        stop.abort();
        if (!(error instanceof MediaFetchError)) throw error;
        const param = mediaParam(body, url);
        throw invalidParam(param, `Could not load the URL at '${param}': ${error.message}.`, "invalid_image_url");
      }
    }),
  );
  return media;
}
