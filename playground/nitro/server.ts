// Nitro server entry: every request passes here first. Cross the boundary with a web Response
// (`proxy.fetch`), never by exporting the proxy's H3 app: Nitro 3.0.0 runs its own h3 copy.
// Paths outside /gemini are left to Nitro's routes.
import { useGeminiProxy } from "./utils/gemini.ts";

export default {
  fetch: (request: Request): Response | Promise<Response> | undefined => {
    const { pathname } = new URL(request.url);
    if (pathname !== "/gemini" && !pathname.startsWith("/gemini/")) return undefined;
    return useGeminiProxy("/gemini").fetch(request);
  },
};
