// Nitro v3 (nitro@3.0.0) playground: the proxy via the server entry (`server.ts`, under /gemini)
// and via a catch-all route file (`routes/api/gemini/[...path].ts`), next to the app's own route.
import { defineNitroConfig } from "nitro/config";

export default defineNitroConfig({
  compatibilityDate: "2025-10-01",
  preset: "node-server",
  // Where the proxy keeps accounts and usage: `useStorage("gemini")`. Memory here; for a real app
  // mount a persistent driver, e.g. `gemini: { driver: "fs", base: "./.data/gemini" }`.
  storage: {},
});
