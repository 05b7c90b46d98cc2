// Nuxt 4 / nitropack 2: `server/routes/gemini/[...].ts`, every /gemini/** request.
// `toH3V1Handler` builds the web Request with an abort signal tied to the response, which h3 v1's
// own `fromWebHandler` lacks: without it a client that goes away would leave Google streaming.
// In your app: `from "gemini-cli-proxy/h3-v1"`; the playground uses the sources.
import { toH3V1Handler } from "../../../../../src/h3-v1.ts";
import { useGeminiProxy } from "../../utils/gemini.ts";

export default toH3V1Handler({ fetch: (request) => useGeminiProxy().fetch(request) });
