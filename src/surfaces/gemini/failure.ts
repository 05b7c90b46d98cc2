import type { WireError } from "./wire-errors.ts";

/** A 4xx decided by the native surface itself, already in Google's shape. */
export class NativeError extends Error {
  readonly wire: WireError;
  constructor(wire: WireError) {
    super(wire.body.error.message);
    this.wire = wire;
  }
}
