// The admin login form (no script needed).
import { documentHead, esc, htmlResponse } from "./html.ts";

export function loginPage(input: {
  base: string;
  next: string;
  error?: string;
  disabled?: boolean;
  status?: number;
}): Response {
  const { base, next, error, disabled } = input;
  const body =
    `<body class="login"><main class="login-box"><h1>gemini-cli-proxy</h1><p class="muted">Admin sign-in</p>` +
    (error ? `<p class="alert" role="alert">${esc(error)}</p>` : "") +
    (disabled
      ? ""
      : `<form method="post" action="${esc(`${base}/login`)}"><input type="hidden" name="next" value="${esc(next)}">` +
        `<label>Username<input name="username" autocomplete="username" required autofocus></label>` +
        `<label>Password<input name="password" type="password" autocomplete="current-password" required></label>` +
        `<button type="submit" class="primary">Sign in</button></form>`) +
    `</main></body></html>`;
  return htmlResponse(documentHead("Sign in · gemini-cli-proxy", base) + body, input.status ?? 200);
}
