/** The SDK side: LobbyClient + Mesh straight against our server, no React, no Next. */
import { LobbyClient } from '../../lib/client/LobbyClient';
import { Mesh } from '../../lib/client/mesh';
import { burstHelpers, now, openedTracker, type BenchPage, type PageState } from './page-api';

const state: PageState = { t0: 0, selfId: '', joinedAt: 0, opened: {}, error: null };
const { markOpened, failed, whenOpened } = openedTracker(state);
let client: LobbyClient | null = null;
let mesh: Mesh | null = null;

async function start(code: string | null): Promise<string> {
  state.t0 = now();
  client = new LobbyClient({ url: location.origin });
  // Nicknames are unique within a lobby (look-alikes included): each page gets its own.
  const nickname = `bench ${Math.random().toString(36).slice(2, 10)}`;
  const joined = code
    ? await client.join({ nickname, code })
    : await client.create({ nickname, name: 'bench', visibility: 'public', maxPlayers: 8 });
  if (!joined.ok) throw new Error(`join failed: ${joined.error}`);
  state.selfId = joined.data.selfId;
  state.joinedAt = now();
  mesh = new Mesh({ signaling: client, RTCPeerConnection: globalThis.RTCPeerConnection });
  mesh.on('peerConnected', markOpened);
  return joined.data.lobby.code;
}

const page: BenchPage = {
  state,
  start,
  ...burstHelpers(start, failed),
  whenOpened,
  async ping(peerId, count) {
    const rtts: number[] = [];
    for (let i = 0; i < count; i++) rtts.push(await mesh!.ping(peerId));
    return rtts;
  },
  close() {
    mesh?.close();
    client?.close();
  },
};
(globalThis as unknown as { bench: BenchPage }).bench = page;
