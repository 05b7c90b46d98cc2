// The app's own route, untouched by the proxy.
import { defineHandler } from "nitro/h3";

export default defineHandler(() => ({ hello: "from nitro" }));
