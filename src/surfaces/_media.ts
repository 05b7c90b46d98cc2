// Fetching the http(s) image/file URLs of a chat request before the mapping (chat/to-gemini.ts is
// pure and reads them from a map). A URL that cannot be used is a 400 naming the part that holds it.
import { invalidParam } from "../chat/errors.ts";
import { mediaUrls } from "../chat/media.ts";
import type { ChatRequest } from "../chat/types.ts";
import { MediaFetchError, type FetchedMedia, type MediaFetcher } from "./_media-fetch.ts";
import { toAbortSignal, type ClientSignal } from "../upstream/transport.ts";

export async function loadMedia(
  chat: Pick<ChatRequest, "turns">,
  fetcher: MediaFetcher,
  limits: { maxUrls: number },
  signal: ClientSignal,
): Promise<Map<string, FetchedMedia>> {
  const media = new Map<string, FetchedMedia>();
  const urls = mediaUrls(chat);
  if (urls.size === 0) return media;
  if (urls.size > limits.maxUrls) {
    throw invalidParam(
      "messages",
      `Too many image/file URLs (${urls.size}); the limit is ${limits.maxUrls}. Send the others as data URIs.`,
      "too_many_urls",
    );
  }
  // The first unusable URL answers the request; the other fetches are cancelled.
  const stop = new AbortController();
  const both = AbortSignal.any([toAbortSignal(signal), stop.signal]);
  await Promise.all(
    [...urls].map(async ([url, param]) => {
      try {
        media.set(url, await fetcher.fetch(url, both));
      } catch (error) {
        stop.abort();
        if (!(error instanceof MediaFetchError)) throw error;
        throw invalidParam(param, `Could not load the URL at '${param}': ${error.message}.`, "invalid_image_url");
      }
    }),
  );
  return media;
}
