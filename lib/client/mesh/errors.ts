/** Errors the Mesh throws at its caller: a misuse or a full buffer, never a network condition. */
export const MeshErrorCode = {
  /** An unreliable message above MAX_UNRELIABLE_BYTES, or a reliable one above MAX_RELIABLE_MESSAGE_BYTES. */
  TOO_LARGE: 'TOO_LARGE',
  /** No such peer in the lobby. */
  UNKNOWN_PEER: 'UNKNOWN_PEER',
  /** Too many reliable bytes waiting for acknowledgement (the peer is not keeping up). */
  QUEUE_FULL: 'QUEUE_FULL',
  /** ping(): the pair has no route yet. */
  NO_ROUTE: 'NO_ROUTE',
  /** ping(): no pong within PING_TIMEOUT_MS. */
  TIMEOUT: 'TIMEOUT',
  /** The Mesh was closed (or the peer left while waiting). */
  CLOSED: 'CLOSED',
} as const;
export type MeshErrorCode = (typeof MeshErrorCode)[keyof typeof MeshErrorCode];

export class MeshError extends Error {
  constructor(
    readonly code: MeshErrorCode,
    detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'MeshError';
  }
}
