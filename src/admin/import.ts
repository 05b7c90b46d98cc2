// POST /admin/credentials/import: the admin page's file upload. Accepts the text of a Gemini CLI
// oauth_creds.json, the predecessor's credentials.json (plain, or encrypted with `passphrase`) or a
// list of Gemini API keys, and adds each account with the login flows' rule (a new account Google
// will not serve is explained, not kept).
import type { H3 } from "h3";
import { addAccount } from "../login/account.ts";
import { AccountFileError, parseAccountFile } from "../login/import.ts";
import { InvalidCredentialError } from "../pool/errors.ts";
import type { AppContext } from "../http/context.ts";
import { maskEmail } from "./format.ts";
import { adminOnly, jsonObject } from "./guard.ts";

/** Uploads are account files, not conversations: a small cap is plenty. */
const MAX_FILE_CHARS = 1024 * 1024;

export function registerAdminImportRoute(app: H3, ctx: AppContext): void {
  app.post(
    "/admin/credentials/import",
    async (event) => {
      const body = await jsonObject(event);
      const text = body?.text;
      if (typeof text !== "string")
        return Response.json(
          { detail: 'Body must be {"text": "<file content>", "name"?, "passphrase"?}' },
          { status: 400 },
        );
      if (text.length > MAX_FILE_CHARS)
        return Response.json(
          { detail: "file_too_large", reason: `Account files are limited to ${MAX_FILE_CHARS} characters` },
          { status: 413 },
        );
      const name = typeof body?.name === "string" && body.name ? body.name.slice(0, 200) : "the uploaded file";
      const passphrase = typeof body?.passphrase === "string" && body.passphrase ? body.passphrase : undefined;
      let inputs;
      try {
        inputs = parseAccountFile(text, { name, passphrase });
      } catch (error) {
        if (error instanceof AccountFileError)
          return Response.json({ detail: "invalid_file", reason: error.message }, { status: 400 });
        throw error;
      }
      if (inputs.length === 0)
        return Response.json({ detail: "empty_file", reason: `${name} holds no account` }, { status: 400 });
      const results = [];
      for (const input of inputs) {
        try {
          const { result, credential } = await addAccount(ctx.pool, input);
          results.push({
            id: result === "dropped" ? null : credential.id,
            result,
            kind: credential.kind,
            email: maskEmail(credential.email),
            status: credential.state.status,
            reason: credential.state.reason ?? null,
            link: credential.state.link ?? null,
          });
        } catch (error) {
          // pool.add's own refusals (no refresh token...) carry fixed, secret-free messages.
          const reason =
            error instanceof InvalidCredentialError
              ? error.code
              : error instanceof Error
                ? error.message
                : "could not be added";
          results.push({ id: null, result: "failed", kind: null, email: null, status: null, reason, link: null });
        }
      }
      return {
        status: "success",
        imported: results.filter((r) => r.result === "added" || r.result === "updated").length,
        results,
      };
    },
    { middleware: [adminOnly(ctx)] },
  );
}
