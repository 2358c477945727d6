import * as z from 'zod/mini';
import type { ErrorCode } from './errors';
import { MAX_CANDIDATE_CHARS, MAX_RELAY_BYTES, MAX_SIGNAL_BYTES } from './limits';
import { PlayerId } from './schemas';

/**
 * WebRTC signaling and the server-relay fallback. The server checks type and size, stamps `from`
 * and forwards descriptions and candidates untouched: whoever could change SDP could sit in the
 * middle, so nothing in them is interpreted or rewritten.
 */

/**
 * Identifies one RTCPeerConnection of a pair (the offerer draws a larger one for every new
 * connection). A signal with an older id than the pair's current one is stale and dropped.
 */
export const NegotiationId = z.int().check(z.minimum(0), z.maximum(2 ** 31 - 1));

/**
 * SDP is ASCII in practice; its length in UTF-16 units is capped at MAX_SIGNAL_BYTES (a cheap check
 * on the hot path) and socket.io's packet cap bounds any non-ASCII worst case.
 */
export const SessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().check(z.maxLength(MAX_SIGNAL_BYTES)),
});

export const IceCandidate = z.strictObject({
  candidate: z.string().check(z.maxLength(MAX_CANDIDATE_CHARS)),
  sdpMid: z.nullable(z.string().check(z.maxLength(64))),
  sdpMLineIndex: z.nullable(z.int().check(z.minimum(0), z.maximum(1024))),
  usernameFragment: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
});

export const SignalPayload = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('description'), description: SessionDescription }),
  z.strictObject({ type: z.literal('candidate'), candidate: IceCandidate }),
]);

/**
 * Client → server. Not strict at the top level on purpose: unknown keys (a forged `from`) are
 * stripped, never forwarded; the server stamps the sender.
 */
export const SignalInput = z.object({ to: PlayerId, negotiationId: NegotiationId, signal: SignalPayload });

/** Server → client. The client parses it too: zod at every entry. */
export const SignalMessage = z.object({
  from: PlayerId,
  negotiationId: NegotiationId,
  signal: SignalPayload,
});

/** Relay frames are binary (socket.io sends them as attachments, no base64): a Buffer in Node, an ArrayBuffer in browsers. */
export const RelayData = z.custom<Uint8Array | ArrayBuffer>(
  (v) =>
    (v instanceof Uint8Array || v instanceof ArrayBuffer) &&
    v.byteLength > 0 &&
    v.byteLength <= MAX_RELAY_BYTES,
  { message: 'binary frame of 1..MAX_RELAY_BYTES bytes' },
);

export const RelayInput = z.object({ to: PlayerId, data: RelayData });
export const RelayMessage = z.object({ from: PlayerId, data: RelayData });

export type SessionDescription = z.infer<typeof SessionDescription>;
export type IceCandidate = z.infer<typeof IceCandidate>;
export type SignalPayload = z.infer<typeof SignalPayload>;
export type SignalInput = z.infer<typeof SignalInput>;
export type SignalMessage = z.infer<typeof SignalMessage>;
export type RelayInput = z.infer<typeof RelayInput>;
export type RelayMessage = z.infer<typeof RelayMessage>;

/**
 * Signals and relay frames are fire-and-forget (no ack): an ack is one more packet per signal on
 * the server's hottest path, and rejections are rare. A rejection comes back as this event.
 */
export interface SignalError {
  event: 'signal' | 'relay';
  code: ErrorCode;
  /** The target, when the payload was valid enough to name one. */
  to?: string;
}
