// Typed pool events a host can subscribe to (`proxy.pool.on(...)`). Payloads never carry secrets.
import type { UpstreamErrorKind } from "../gemini/errors.ts";
import type { Credential, CredentialStatus } from "./credential.ts";

/** Payload of `credential:state`: a credential changed status. */
export interface CredentialStateEvent {
  id: string;
  previous: CredentialStatus;
  status: CredentialStatus;
  reason?: string;
  link?: string;
  at: number;
}

/** Payload of `credential:cooldown`: a per-model cooldown was set or cleared. */
export interface CredentialCooldownEvent {
  id: string;
  model: string;
  /** Epoch ms; `undefined` when the cooldown was cleared (recovered or by an operator). */
  until?: number;
  reason?: string;
  at: number;
}

/** Payload of `request:attempt`: one upstream attempt finished, with its credential and outcome. */
export interface RequestAttemptEvent {
  credentialId: string;
  kind: Credential["kind"];
  model: string;
  /** 1-based attempt number inside the request. */
  attempt: number;
  outcome: "success" | "error" | "aborted";
  errorKind?: UpstreamErrorKind;
  /** HTTP status from Google, when it answered. */
  status?: number;
  durationMs?: number;
  requestId?: string;
  surface?: string;
  at: number;
}

/** Pool events by name, with their payloads (`pool.on(name, listener)`). */
export interface PoolEventMap {
  "credential:state": CredentialStateEvent;
  "credential:cooldown": CredentialCooldownEvent;
  "request:attempt": RequestAttemptEvent;
}

/** The name of a pool event. */
export type PoolEventName = keyof PoolEventMap;
/** A listener for one pool event. */
export type PoolListener<E extends PoolEventName> = (payload: PoolEventMap[E]) => void;

export interface PoolEvents {
  /** Subscribe; returns the unsubscribe function. */
  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void;
  emit<E extends PoolEventName>(event: E, payload: PoolEventMap[E]): void;
}

export function createPoolEvents(onListenerError: (error: unknown) => void): PoolEvents {
  const listeners = new Map<PoolEventName, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        // A host's listener must never break a request.
        try {
          (listener as (p: typeof payload) => void)(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}
