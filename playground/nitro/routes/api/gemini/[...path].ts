// A catch-all route file: Nitro passes the full URL, so this proxy's basePath is the route's path.
import { defineHandler } from "nitro/h3";
import { useGeminiProxy } from "../../../utils/gemini.ts";

export default defineHandler((event) => useGeminiProxy("/api/gemini").fetch(event.req));
