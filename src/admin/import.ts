// POST /admin/credentials/import: the admin page's file upload. Accepts the text of a Gemini CLI
// oauth_creds.json, the predecessor's credentials.json (plain, or encrypted with `passphrase`) or a
// list of Gemini API keys, and adds each entry with the login flows' rule: API keys are checked
// with Google first; a key or refresh token Google refuses, and a new account it will not serve,
// are explained, not kept. A bad entry is reported on its own and never stops the others.
import type { H3 } from "h3";
import { addAccount } from "../login/account.ts";
import { AccountFileError, parseAccountEntries } from "../login/import.ts";
import { InvalidCredentialError } from "../pool/errors.ts";
import type { AppContext } from "../http/context.ts";
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
      let entries;
      try {
        entries = parseAccountEntries(text, { name, passphrase });
      } catch (error) {
        if (error instanceof AccountFileError)
          return Response.json({ detail: "invalid_file", reason: error.message }, { status: 400 });
        throw error;
      }
      if (entries.length === 0)
        return Response.json({ detail: "empty_file", reason: `${name} holds no account` }, { status: 400 });
      const results = [];
      const failed = (at: string, reason: string) =>
        ({
          at,
          id: null,
          result: "failed",
          kind: null,
          email: null,
          key: null,
          status: null,
          reason,
          link: null,
        }) as const;
      for (const { at, input, error: invalid } of entries) {
        if (!input) {
          results.push({ ...failed(at, `${at} ${invalid}`), result: "invalid" as const });
          continue;
        }
        try {
          const { result, credential, refused } = await addAccount(ctx.pool, input);
          results.push({
            at,
            id: result === "dropped" ? null : credential.id,
            result: refused ? ("refused" as const) : result,
            kind: credential.kind,
            email: credential.email ?? null,
            key: credential.keyLabel ?? null,
            status: refused ? null : credential.state.status,
            verified: credential.state.verified !== false,
            reason: refused ?? credential.state.reason ?? null,
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
          results.push(failed(at, reason));
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
