// Pool events as log events: every state change (`credential.state`, with from/to and why), every
// cooldown set or cleared (`credential.cooldown`), failed token refreshes. Subscribed by the proxy's
// wiring, so the pool itself stays free of logging decisions.
import type { Logger } from "../types.ts";
import { maskEmail } from "../admin/format.ts";
import type { CredentialStatus } from "../pool/credential.ts";
import type { CredentialPool, CredentialView } from "../pool/pool.ts";
import { logEvent, type LogLevelName } from "./log-event.ts";

/** States an operator has to act on. */
const ATTENTION = new Set<CredentialStatus>(["error", "permission_denied", "needs_verification", "ineligible"]);
/** A refresh that ended here did not give the credential a usable token. */
const REFRESH_FAILED = new Set<CredentialStatus>([
  "error",
  "expired",
  "permission_denied",
  "needs_verification",
  "ineligible",
]);

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function attachPoolLog(pool: Pick<CredentialPool, "on" | "get">, logger: Logger): () => void {
  const who = (id: string) => {
    const email = maskEmail(pool.get(id)?.email);
    return { credential: id, credential_email: email ?? undefined, label: email ? `${id} (${email})` : id };
  };
  const offState = pool.on("credential:state", (e) => {
    const { label, ...account } = who(e.id);
    // Refreshes happen about hourly per account: their routine transitions stay at debug.
    const routine = e.status === "refreshing" || (e.previous === "refreshing" && e.status === "active");
    const level: LogLevelName = routine ? "debug" : ATTENTION.has(e.status) ? "warn" : "info";
    const why = e.reason ? `: ${e.reason}` : "";
    logEvent(logger, level, `credential ${label} ${e.previous} → ${e.status}${why}`, {
      event: "credential.state",
      ...account,
      from: e.previous,
      to: e.status,
      reason: e.reason,
      link: e.link,
    });
    if (e.previous === "refreshing" && REFRESH_FAILED.has(e.status))
      logEvent(logger, "warn", `token refresh failed for ${label}${why}`, {
        event: "credential.refresh_failed",
        ...account,
        status: e.status,
        reason: e.reason,
      });
  });
  const offCooldown = pool.on("credential:cooldown", (e) => {
    const { label, ...account } = who(e.id);
    if (e.until === undefined) {
      logEvent(logger, "info", `credential ${label}: ${e.model} serves again`, {
        event: "credential.cooldown_cleared",
        ...account,
        model: e.model,
      });
      return;
    }
    const minutes = Math.max(0, Math.round((e.until - e.at) / 60_000));
    // A short rate-limit pause is routine; an hour-long quota cooldown is what an operator looks for.
    logEvent(
      logger,
      e.until - e.at >= 60_000 ? "warn" : "info",
      `credential ${label}: ${e.model} cools down until ${iso(e.until)} (${minutes} min)${e.reason ? `: ${e.reason}` : ""}`,
      { event: "credential.cooldown", ...account, model: e.model, reason: e.reason, until: iso(e.until) },
    );
  });
  return () => {
    offState();
    offCooldown();
  };
}

/** The outcome of adding an account at start-up (Google's checks and onboarding included). */
export function logOnboarding(
  logger: Logger,
  result: { created: boolean; credential: Pick<CredentialView, "id" | "kind" | "email" | "tier" | "state"> },
): void {
  const view = result.credential;
  const email = maskEmail(view.email);
  const state = view.state;
  const label = email ? `${view.id} (${email})` : view.id;
  // Pools of API keys can hold hundreds: one line each only at debug, unless something is wrong.
  const level: LogLevelName = ATTENTION.has(state.status) ? "warn" : view.kind === "oauth" ? "info" : "debug";
  logEvent(
    logger,
    level,
    `${result.created ? "added" : "updated"} ${label}: ${state.status}${view.tier ? `, tier ${view.tier}` : ""}${state.reason ? ` (${state.reason})` : ""}`,
    {
      event: "credential.onboarded",
      credential: view.id,
      credential_email: email ?? undefined,
      kind: view.kind,
      tier: view.tier,
      status: state.status,
      reason: state.reason,
    },
  );
}
