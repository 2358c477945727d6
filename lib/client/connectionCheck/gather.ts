import type { IceServer } from '@/lib/protocol';
import type { Gathered, GatheredCandidate } from './verdict';

/** Long enough for a STUN round trip across the world and a TURN allocation over TCP/TLS. */
export const GATHER_TIMEOUT_MS = 5000;

export interface GatherOptions {
  RTCPeerConnection: typeof globalThis.RTCPeerConnection;
  iceServers: IceServer[];
  timeoutMs?: number;
  /** Aborting closes the connection at once and resolves with what was gathered so far. */
  signal?: AbortSignal;
}

/**
 * Gathers this browser's ICE candidates against `iceServers`: one RTCPeerConnection with a data
 * channel (an offer needs something to negotiate), a local offer, every candidate with the URL of
 * the server that produced it, until gathering completes or the timeout. Always closes it.
 */
export function gatherCandidates({
  RTCPeerConnection,
  iceServers,
  timeoutMs = GATHER_TIMEOUT_MS,
  signal,
}: GatherOptions): Promise<Gathered> {
  const pc = new RTCPeerConnection({ iceServers, iceCandidatePoolSize: 0 });
  const candidates: GatheredCandidate[] = [];
  const errorUrls: string[] = [];
  return new Promise<Gathered>((resolve) => {
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      pc.close();
      resolve({ candidates, complete, errorUrls });
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener('abort', onAbort);
    pc.onicecandidate = (event) => {
      // A null candidate (or an empty one, Firefox) marks the end of gathering.
      if (!event.candidate || !event.candidate.candidate) return finish(true);
      // `url` is deprecated in the spec but Chromium and Firefox still set it; it is the only way
      // to tell which STUN server produced a server-reflexive candidate.
      const url = (event as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null;
      // `relayProtocol` is newer than TypeScript's DOM types.
      const relayProtocol =
        (event.candidate as RTCIceCandidate & { relayProtocol?: string | null }).relayProtocol ?? null;
      candidates.push({ candidate: event.candidate.candidate, url, relayProtocol });
    };
    pc.onicecandidateerror = (event) => {
      const url = (event as RTCPeerConnectionIceErrorEvent).url;
      if (url) errorUrls.push(url);
    };
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && finish(true);
    pc.createDataChannel('check');
    pc.createOffer()
      .then((offer) => (done ? undefined : pc.setLocalDescription(offer)))
      .catch(() => finish(false));
    if (signal?.aborted) finish(false);
  });
}
