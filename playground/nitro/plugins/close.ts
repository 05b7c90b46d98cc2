// Stop the proxies' timers and upstream connections when Nitro shuts down (and on dev reloads).
import { defineNitroPlugin } from "nitro/runtime";
import { closeGeminiProxies } from "../utils/gemini.ts";

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook("close", () => closeGeminiProxies());
});
