/**
 * Why a store could not answer. All are transient from the caller's point of view: the client gets
 * ErrorCode.UNAVAILABLE and may try again (docs/RELIABILITY.md R10).
 */
export type StoreUnavailableReason =
  /** No connection to the backing service (down, reconnecting, or closed under us). */
  | 'unreachable'
  /** The command was sent but no reply came within the deadline. */
  | 'timeout'
  /** The service answered that it cannot serve now (loading, read-only replica, busy script…). */
  | 'busy'
  /** Optimistic update lost the race too many times in a row. */
  | 'contention';

/** A store operation failed for a reason outside the lobby rules; mapped to ErrorCode.UNAVAILABLE. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    readonly reason: StoreUnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`lobby store unavailable: ${reason}`, options);
  }
}

export const isStoreUnavailable = (err: unknown): err is StoreUnavailableError =>
  err instanceof StoreUnavailableError;
