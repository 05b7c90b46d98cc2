// `/gemini` itself (the admin page): nitropack's `[...].ts` matches only paths below it.
export { default } from "./[...].ts";
