import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Mesh, type MeshMessage, type PeerStats } from '../../lib/client/mesh';
import { meshMember, NODE_MESH, routeOf, until, type MemberOptions, type MeshMember } from '../helpers/mesh';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const members: MeshMember[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const m of members.splice(0)) m.close();
});
afterAll(() => server.close());

/** A lobby of n members, each with a Mesh; returns once everyone joined (links may still be opening). */
async function lobbyOf(
  n: number,
  options: MemberOptions | ((selfId: string, index: number) => MemberOptions) = {},
) {
  const forIndex = (i: number) =>
    typeof options === 'function' ? (selfId: string) => options(selfId, i) : options;
  const first = await meshMember(server.url, 'P0', null, forIndex(0));
  members.push(first);
  const all: MeshMember[] = [first];
  for (let i = 1; i < n; i++) {
    const m = await meshMember(server.url, `P${i}`, first.code, forIndex(i));
    members.push(m);
    all.push(m);
  }
  return all;
}

const nextMessage = (
  m: MeshMember,
  match: (msg: MeshMessage) => boolean,
  label = 'message',
  timeoutMs = 10_000,
) =>
  until(
    (fn) => m.mesh.on('message', fn),
    (msg: MeshMessage) => (match(msg) ? msg : undefined),
    timeoutMs,
    label,
  );

/** Collects `count` messages from one sender, then resolves with them. */
function collect(m: MeshMember, from: string, count: number, timeoutMs = 15_000): Promise<MeshMessage[]> {
  const got: MeshMessage[] = [];
  return until(
    (fn) => m.mesh.on('message', fn),
    (msg: MeshMessage) => {
      if (msg.from !== from) return undefined;
      got.push(msg);
      return got.length >= count ? got : undefined;
    },
    timeoutMs,
    `${count} messages`,
  );
}

async function allOn(pairs: [MeshMember, MeshMember, string][]) {
  await Promise.all(
    pairs.flatMap(([x, y, route]) => [routeOf(x.mesh, y.id, route), routeOf(y.mesh, x.id, route)]),
  );
}

/** Round trip on every channel, both ways. */
async function exchange(a: MeshMember, b: MeshMember) {
  for (const channel of ['reliable', 'unreliable', 'unreliable-ordered'] as const) {
    const got = nextMessage(b, (m) => m.from === a.id && m.channel === channel, `text on ${channel}`);
    a.mesh.send(b.id, `hi on ${channel}`, channel);
    expect((await got).data).toBe(`hi on ${channel}`);
    const back = nextMessage(a, (m) => m.from === b.id && m.channel === channel, `binary on ${channel}`);
    b.mesh.send(a.id, new Uint8Array([1, 2, 3]), channel);
    const msg = await back;
    expect(msg.data).toBeInstanceOf(Uint8Array);
    expect([...(msg.data as Uint8Array)]).toEqual([1, 2, 3]);
  }
}

/** Test-only reach into a pair's current RTCPeerConnection, to kill a working link. */
function killLink(mesh: Mesh, peerId: string) {
  const peer = (
    mesh as unknown as { peersById: Map<string, { link: { pc: RTCPeerConnection } | null }> }
  ).peersById.get(peerId);
  peer?.link?.pc.close();
}

describe('mesh over node-datachannel through the real server', () => {
  it('two peers open every channel directly and exchange text and binary both ways', async () => {
    const started = performance.now();
    const [a, b] = await lobbyOf(2);
    await allOn([[a!, b!, 'direct']]);
    console.log(`2 peers: joined and direct after ${(performance.now() - started).toFixed(1)} ms`);
    await exchange(a!, b!);
    // Without TURN servers the selected pair is read shortly after the link opens (stats only).
    const stats = await until(
      (fn) => a!.mesh.on('peers', fn),
      (peers: PeerStats[]) => peers.find((p) => p.id === b!.id && p.candidates),
      5000,
      'a peers snapshot with the candidate pair',
    );
    expect(stats.state).toBe('connected');
    expect(stats.candidates?.local).toBe('host');
  });

  it('measures RTT with the application ping and publishes per-peer stats for a panel', async () => {
    const [a, b] = await lobbyOf(2);
    await allOn([[a!, b!, 'direct']]);
    const rttEvent = until(
      (fn) => a!.mesh.on('rtt', fn),
      (id: string, rtt: number) => (id === b!.id ? rtt : undefined),
    );
    const rtt = await a!.mesh.ping(b!.id);
    expect(rtt).toBeGreaterThan(0);
    expect(rtt).toBeLessThan(250);
    expect(await rttEvent).toBeGreaterThan(0);
    await until(
      (fn) => a!.mesh.on('peers', fn),
      (peers: PeerStats[]) => peers.find((p) => p.id === b!.id && p.candidates),
      5000,
      'the candidate pair',
    );
    // Traffic in the window shows up in the next periodic snapshot.
    for (let i = 0; i < 20; i++) a!.mesh.send(b!.id, new Uint8Array(100), 'unreliable');
    const snapshot = await until(
      (fn) => a!.mesh.on('peers', fn),
      (peers: PeerStats[]) => peers.find((p) => p.id === b!.id && p.messagesOutPerS > 0),
      5000,
      'a peers snapshot with traffic',
    );
    expect(snapshot).toMatchObject({ state: 'connected', route: 'direct', candidates: { local: 'host' } });
    expect(snapshot.bytesOutPerS).toBeGreaterThanOrEqual(20 * 101 * 0.5);
    expect(snapshot.rttMs).toBeGreaterThan(0);
  });

  it('close() releases everything: peers see the disconnect, sends fail with CLOSED', async () => {
    const [a, b] = await lobbyOf(2);
    await allOn([[a!, b!, 'direct']]);
    const gone = until(
      (fn) => b!.mesh.on('peerDisconnected', fn),
      (id: string) => (id === a!.id ? id : undefined),
    );
    a!.mesh.close();
    expect(() => a!.mesh.send(b!.id, 'x')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(a!.mesh.peers()).toEqual([]);
    // The other side sees it once a leaves the lobby (membership drives the mesh).
    await a!.client.leave();
    expect(await gone).toBe(a!.id);
  });

  it('a Mesh recreated on the same LobbyClient (React Strict Mode) reconnects and both streams restart cleanly', async () => {
    const [a, b] = await lobbyOf(2);
    await allOn([[a!, b!, 'direct']]);
    // 64 frames make B ack at once; B's reply travels behind that ack, so when A has the reply,
    // A's stream to B is fully acknowledged and its next sequence number is 64.
    const received = collect(b!, a!.id, 64);
    for (let i = 0; i < 64; i++) a!.mesh.send(b!.id, `old${i}`);
    await received;
    const reply = nextMessage(a!, (m) => m.data === 'got them');
    b!.mesh.send(a!.id, 'got them');
    await reply;
    b!.mesh.close();
    const fresh = new Mesh({ signaling: b!.client, ...NODE_MESH });
    const recreated = { ...b!, mesh: fresh };
    members.push({ ...recreated, close: () => fresh.close() });
    await allOn([[a!, recreated, 'direct']]);
    const toA = collect(a!, b!.id, 2);
    fresh.send(a!.id, 'b1');
    fresh.send(a!.id, 'b2');
    // The new Mesh's stream starts over at A (a newer epoch)...
    expect((await toA).map((m) => m.data)).toEqual(['b1', 'b2']);
    // ...and A, having seen the new Mesh's HELLO before b1, restarts its stream to it.
    const toB = collect(recreated, a!.id, 2);
    a!.mesh.send(b!.id, 'a1');
    a!.mesh.send(b!.id, 'a2');
    expect((await toB).map((m) => m.data)).toEqual(['a1', 'a2']);
  });

  it('reassembles a 1 MB reliable message and keeps order with small ones', async () => {
    const [a, b] = await lobbyOf(2);
    await allOn([[a!, b!, 'direct']]);
    const big = new Uint8Array(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const got = collect(b!, a!.id, 3);
    a!.mesh.send(b!.id, 'before');
    a!.mesh.send(b!.id, big);
    a!.mesh.send(b!.id, 'after');
    const [m1, m2, m3] = await got;
    expect(m1!.data).toBe('before');
    expect(m3!.data).toBe('after');
    const data = m2!.data as Uint8Array;
    expect(data.byteLength).toBe(big.byteLength);
    expect(Buffer.compare(Buffer.from(data), Buffer.from(big))).toBe(0);
  });

  it('rejects an oversized unreliable message with a typed error', async () => {
    const [a, b] = await lobbyOf(2);
    expect(() => a!.mesh.send(b!.id, new Uint8Array(1201), 'unreliable')).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
    expect(() => a!.mesh.send('nobody-here', 'x')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PEER' }));
  });

  it('a pair whose candidates are filtered falls back to the relay while the other pairs stay direct', async () => {
    // Breaks exactly one pair, P0–P2: the two ids in `blocked` drop each other's candidates. Each id
    // is added before its Mesh exists, so no candidate of the pair ever passes.
    const blocked = new Set<string>();
    const started = performance.now();
    const [a, b, c] = await lobbyOf(3, (selfId, index) => {
      if (index !== 1) blocked.add(selfId);
      // The default deadline: a short one sent healthy pairs to the relay too on a busy machine.
      return { filterCandidate: (peerId) => !(blocked.has(peerId) && blocked.has(selfId)) };
    });
    await allOn([
      [a!, b!, 'direct'],
      [b!, c!, 'direct'],
      [a!, c!, 'relay'],
    ]);
    console.log(`3 peers, one pair relayed: settled after ${(performance.now() - started).toFixed(0)} ms`);
    await exchange(a!, c!);
    await exchange(c!, a!);
    await exchange(a!, b!);
    // A chunked reliable message over the relay.
    const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
    const got = nextMessage(
      c!,
      (m) => m.from === a!.id && m.data instanceof Uint8Array && m.data.byteLength === big.byteLength,
      'relayed 100 kB',
    );
    a!.mesh.send(c!.id, big);
    expect(Buffer.compare(Buffer.from((await got).data as Uint8Array), Buffer.from(big))).toBe(0);
    expect(a!.mesh.peers().find((p) => p.id === c!.id)?.route).toBe('relay');
  });

  it('closing a peer (leave) emits peer disconnected on the others', async () => {
    const [a, b, c] = await lobbyOf(3);
    await allOn([
      [a!, b!, 'direct'],
      [a!, c!, 'direct'],
      [b!, c!, 'direct'],
    ]);
    const onA = until(
      (fn) => a!.mesh.on('peerDisconnected', fn),
      (id: string) => (id === c!.id ? id : undefined),
    );
    const onB = until(
      (fn) => b!.mesh.on('peerDisconnected', fn),
      (id: string) => (id === c!.id ? id : undefined),
    );
    await c!.client.leave();
    expect(await onA).toBe(c!.id);
    expect(await onB).toBe(c!.id);
    expect(a!.mesh.peerIds).toEqual([b!.id]);
  });

  it('a reliable stream survives its link dying: relay, then direct again, in order, once each', async () => {
    const [a, b] = await lobbyOf(2, { connectDeadlineMs: 500 });
    await allOn([[a!, b!, 'direct']]);
    const total = 300;
    const got = collect(b!, a!.id, total, 20_000);
    const relayed = routeOf(a!.mesh, b!.id, 'relay');
    for (let i = 0; i < total / 3; i++) a!.mesh.send(b!.id, `m${i}`);
    killLink(a!.mesh, b!.id);
    await relayed;
    for (let i = total / 3; i < (2 * total) / 3; i++) a!.mesh.send(b!.id, `m${i}`);
    await routeOf(a!.mesh, b!.id, 'direct', 15_000);
    for (let i = (2 * total) / 3; i < total; i++) a!.mesh.send(b!.id, `m${i}`);
    const messages = await got;
    expect(messages.map((m) => m.data)).toEqual(Array.from({ length: total }, (_, i) => `m${i}`));
  });
});
