// The error when no credential can serve a model: when one frees up (the surfaces answer 429 with
// retry-after) or, in plain words, why none can.
import type { Credential } from "./credential.ts";
import { USABLE_STATUSES } from "./credential.ts";
import type { Entry } from "./entry.ts";
import { NoCredentialError, type AccessProblem } from "./errors.ts";
import { cooldownFor } from "./reactions.ts";

function statusSummary(scope: Entry[]): string {
  const counts = new Map<string, number>();
  for (const e of scope) counts.set(e.state.status, (counts.get(e.state.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
}

/** The first account that waits for a human (verification, API activation, licence), with Google's reason and link. */
function accessProblem(scope: Entry[]): AccessProblem | undefined {
  const waiting = scope.filter((e) => e.state.status === "needs_verification" || e.state.status === "ineligible");
  const e = waiting.find((x) => x.state.link) ?? waiting[0];
  if (!e) return undefined;
  const problem: AccessProblem = {
    kind: e.state.status === "needs_verification" ? "validation_required" : "service_disabled",
  };
  if (e.state.reason) problem.reason = e.state.reason;
  if (e.state.link) problem.link = e.state.link;
  return problem;
}

export function noCredentialError(
  model: string,
  scope: Entry[],
  total: number,
  exclude: ReadonlySet<string> | undefined,
  kinds: readonly Credential["kind"][] | undefined,
  now: number,
): NoCredentialError {
  const soonest = scope
    .filter((e) => USABLE_STATUSES.has(e.state.status) && !exclude?.has(e.credential.id))
    .map((e) => cooldownFor(e.state, model, now)?.until)
    .filter((u): u is number => u !== undefined)
    .sort((a, b) => a - b)[0];
  if (soonest !== undefined) {
    const wait = Math.max(0, soonest - now);
    return new NoCredentialError(
      model,
      `Every credential is cooling down for ${model}; the first one frees up in ${Math.ceil(wait / 1000)} s`,
      wait,
    );
  }
  if (kinds && !scope.length) {
    return new NoCredentialError(
      model,
      `This call needs a Gemini API key in the pool (${kinds.join(", ")}); none is configured`,
    );
  }
  if (!total) return new NoCredentialError(model, "No credentials configured: add an account or a Gemini API key");
  const tried = scope.filter((e) => exclude?.has(e.credential.id)).length;
  const left = scope.filter((e) => !exclude?.has(e.credential.id));
  const why = tried === scope.length ? `every credential failed for this request` : statusSummary(left);
  const access = accessProblem(left);
  if (!access) return new NoCredentialError(model, `No usable credential for ${model} (${why})`);
  const detail = [access.reason, access.link && `Fix it at ${access.link}`].filter(Boolean).join(" ");
  return new NoCredentialError(
    model,
    `No usable credential for ${model} (${why})${detail ? `: ${detail}` : ""}`,
    undefined,
    {
      access,
    },
  );
}
