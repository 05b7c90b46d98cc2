// What a managed key may do, attached to the request's record by the HTTP layer and checked where
// the model is known (dispatch). A refusal is a ClientRequestError: every surface answers it in its
// own shape with the given status, code and headers, and no credential is touched.
import type { RequestRecord } from "../usage/record.ts";

/** A client-side refusal decided by the proxy (status, message, machine code, headers). */
export class ClientRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, code: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ClientRequestError";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The managed key behind a request: its id and model test. */
export interface KeyGrant {
  id: string;
  name: string;
  allows: (model: string) => boolean;
  /** False when the key allows every model (nothing to check or filter). */
  restricted: boolean;
}

const grants = new WeakMap<RequestRecord, KeyGrant>();

export const grantRequest = (record: RequestRecord, grant: KeyGrant): void => void grants.set(record, grant);
export const grantOf = (record: RequestRecord): KeyGrant | undefined => grants.get(record);

export function modelRefusal(model: string): ClientRequestError {
  return new ClientRequestError(403, `This API key may not use the model '${model}'.`, "model_not_allowed");
}

/** Throws when the request's key may not use `model` (the client's id when the record has it). */
export function assertModelAllowed(record: RequestRecord | undefined, model: string): void {
  const grant = record ? grants.get(record) : undefined;
  if (!record || !grant?.restricted) return;
  const asked = record.model ?? model;
  if (!grant.allows(asked)) throw modelRefusal(asked);
}
