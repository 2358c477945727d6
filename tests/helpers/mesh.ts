import { RTCPeerConnection } from 'node-datachannel/polyfill';
import { LobbyClient } from '../../lib/client/LobbyClient';
import { Mesh, type MeshOptions, type RTCPeerConnectionCtor } from '../../lib/client/mesh';

/** node-datachannel's W3C polyfill; its types differ in details from the DOM's. */
export const NodePc = RTCPeerConnection as unknown as RTCPeerConnectionCtor;

export interface MeshMember {
  client: LobbyClient;
  mesh: Mesh;
  id: string;
  close(): void;
}

export type MemberOptions = Partial<Omit<MeshOptions, 'signaling' | 'RTCPeerConnection'>>;

/** Loopback only, no STUN: nothing leaves the machine. */
export const LOOPBACK = { iceServers: [], bindAddress: '127.0.0.1' };

/** What a Mesh on node-datachannel needs (see MeshOptions.offererCandidateHoldMs). */
export const NODE_MESH = { RTCPeerConnection: NodePc, rtcConfig: LOOPBACK, offererCandidateHoldMs: 250 };

/** Creates (no code) or joins (code) a lobby through a real LobbyClient and starts a Mesh on it. */
export async function meshMember(
  url: string,
  nickname: string,
  code: string | null,
  options: MemberOptions | ((selfId: string) => MemberOptions) = {},
): Promise<MeshMember & { code: string }> {
  const client = new LobbyClient({ url });
  const result = code
    ? await client.join({ nickname, code })
    : await client.create({ nickname, name: 'Mesh room', visibility: 'public' });
  if (!result.ok) throw new Error(`join failed: ${result.error}`);
  const extra = typeof options === 'function' ? options(result.data.selfId) : options;
  const mesh = new Mesh({ signaling: client, ...NODE_MESH, ...extra });
  return {
    client,
    mesh,
    id: result.data.selfId,
    code: result.data.lobby.code,
    close() {
      mesh.close();
      client.close();
    },
  };
}

/**
 * Resolves with the first value `pick` returns for an event (checked right away against `now` too,
 * if given), or rejects after `timeoutMs`. Waits on events, never on sleeps.
 */
export function until<A extends unknown[], T>(
  subscribe: (fn: (...args: A) => void) => () => void,
  pick: (...args: A) => T | undefined,
  timeoutMs = 10_000,
  label = 'event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${label}`));
    }, timeoutMs);
    const off = subscribe((...args) => {
      const value = pick(...args);
      if (value === undefined) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Waits until `mesh.peers()` shows `peerId` on `route`. */
export function routeOf(mesh: Mesh, peerId: string, route: string, timeoutMs = 10_000) {
  if (mesh.peers().some((p) => p.id === peerId && p.route === route)) return Promise.resolve(true);
  return until(
    (fn) => mesh.on('route', fn),
    (id, r) => (id === peerId && r === route ? true : undefined),
    timeoutMs,
    `${peerId} on ${route}`,
  );
}
