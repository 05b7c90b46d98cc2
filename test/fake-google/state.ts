// Mutable world of the fake: accounts, OAuth clients/codes/tokens, API keys, LROs, signatures.
import { createHash, randomBytes } from "node:crypto";
import { issueAccessToken, issueRefreshToken } from "./tokens.ts";
import { AUTHCODE_REDIRECT_URI, GEMINI_CLI_CLIENT_ID, GEMINI_CLI_CLIENT_SECRET, GRANTED_SCOPES } from "./constants.ts";
import type { AccountScenario, FakeAccount, FakeAccountInit, FakeGoogleOptions } from "./types.ts";

export interface OAuthClient {
  id: string;
  secret: string;
  redirectUris: string[];
  /** Installed-app clients accept any loopback redirect; the Gemini CLI client also the authcode page. */
  builtin: boolean;
}

export interface AccessToken {
  token: string;
  email: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  refreshToken?: string;
  revoked: boolean;
}

export interface RefreshToken {
  token: string;
  email: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface AuthCode {
  code: string;
  email: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  offline: boolean;
  challenge?: string;
  challengeMethod?: string;
  used: boolean;
}

export interface Operation {
  name: string;
  email: string;
  tierId: string;
  project?: string;
  falseLeft: number;
}

export interface AccountState extends FakeAccount {
  previewAccess: boolean;
  onboardingPolls: number;
  tier?: string;
  credits?: number;
  /** Tier the account got through onboardUser. */
  onboardedTier?: string;
  operation?: Operation;
  dataCollectionOptin: boolean;
  quotaOverrides: Map<string, number>;
}

export interface State {
  options: Required<Omit<FakeGoogleOptions, "port" | "clients">>;
  accounts: Map<string, AccountState>;
  clients: Map<string, OAuthClient>;
  codes: Map<string, AuthCode>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  apiKeys: Map<string, { models?: string[] }>;
  operations: Map<string, Operation>;
  signatures: Set<string>;
  consent: { email?: string; deny?: boolean; wrongState?: boolean };
  lastAddedEmail?: string;
}

function hashHex(input: string): string {
  return createHash("sha256").update(input).digest("hex");
}

/** Google's numeric subject id, stable per email. */
export function subjectFor(email: string): string {
  return (BigInt(`0x${hashHex(email).slice(0, 16)}`) % 10n ** 21n).toString().padStart(21, "1");
}

/** A managed-project-looking id (like "core-gravity-9jkxm"), stable per email. */
export function defaultProjectFor(email: string): string {
  const local = (email.split("@")[0] ?? "user").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const slug = local.replace(/^[^a-z]+/, "").slice(0, 16) || "user";
  return `${slug}-proj-${hashHex(email).slice(0, 5)}`.replace(/-+/g, "-");
}

export function createState(options: FakeGoogleOptions): State {
  const clients = new Map<string, OAuthClient>();
  clients.set(GEMINI_CLI_CLIENT_ID, {
    id: GEMINI_CLI_CLIENT_ID,
    secret: GEMINI_CLI_CLIENT_SECRET,
    redirectUris: [AUTHCODE_REDIRECT_URI],
    builtin: true,
  });
  for (const c of options.clients ?? []) clients.set(c.id, { ...c, builtin: false });
  return {
    options: {
      accessTokenTtlSec: options.accessTokenTtlSec ?? 3599,
      strictFreeTierProject: options.strictFreeTierProject ?? true,
      requireProjectForFreeTier: options.requireProjectForFreeTier ?? false,
      maxModelsPageSize: options.maxModelsPageSize ?? 1000,
    },
    accounts: new Map(),
    clients,
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    apiKeys: new Map(),
    operations: new Map(),
    signatures: new Set(),
    consent: {},
  };
}

export function addAccount(state: State, init: FakeAccountInit): AccountState {
  const scenario: AccountScenario = init.scenario ?? "onboarded";
  const noProject = scenario === "ineligible";
  const account: AccountState = {
    email: init.email,
    scenario,
    project: noProject ? undefined : (init.project ?? defaultProjectFor(init.email)),
    refreshToken: "",
    accessToken: "",
    accessTokenExpiresAt: 0,
    verified: scenario !== "validation-required",
    onboarded: !["needs-onboarding", "ineligible", "unsupported-location"].includes(scenario),
    previewAccess: init.previewAccess ?? true,
    onboardingPolls: init.onboardingPolls ?? 2,
    tier: init.tier,
    credits: init.credits,
    dataCollectionOptin: true,
    quotaOverrides: new Map(),
  };
  state.accounts.set(init.email, account);
  state.lastAddedEmail = init.email;
  // Every account starts with a Gemini CLI grant so tests can skip the browser flow.
  const rt = issueRefreshToken(state, init.email, GEMINI_CLI_CLIENT_ID, GRANTED_SCOPES);
  issueAccessToken(state, init.email, GEMINI_CLI_CLIENT_ID, GRANTED_SCOPES, rt.token);
  return account;
}

export function requireAccount(state: State, email: string): AccountState {
  const account = state.accounts.get(email);
  if (!account) throw new Error(`fake-google: unknown account ${email}`);
  return account;
}

export function issueSignature(state: State): string {
  // Opaque base64 like Google's ("Eq...", "Cs..."); remembered for input validation.
  const sig = `Eo${randomBytes(60).toString("base64")}`;
  state.signatures.add(sig);
  return sig;
}
