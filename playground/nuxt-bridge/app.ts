// An h3 v1 app routed the way nitropack 2 routes a Nuxt server: `server/routes/gemini/[...].ts`
// answers /gemini/** (with the full URL), next to the app's own route.
import { createApp, createRouter, defineEventHandler, type App } from "h3-v1";
import geminiRoute from "./server/routes/gemini/[...].ts";
import geminiIndexRoute from "./server/routes/gemini/index.ts";

export function createNuxtBridgeHost(): App {
  const router = createRouter();
  router.get(
    "/hello",
    defineEventHandler(() => "hello from h3 v1"),
  );
  router.use("/gemini", geminiIndexRoute);
  router.use("/gemini/**", geminiRoute);
  return createApp().use(router);
}
