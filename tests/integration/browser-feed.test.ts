import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME, type LobbySummary } from '../../lib/protocol';
import { browserRoom } from '../../server/socket/types';
import {
  createLobby,
  expectOk,
  joinByCode,
  newPlayer,
  record,
  setupLobby,
  serverPerFile,
} from '../helpers/lobby';
import { request } from '../helpers/server';

/** The public lobby browser: the watch ack, live pushes, and private lobbies never listed. */
const ctx = serverPerFile();

const rowOf = (rows: LobbySummary[], code: string) => rows.find((r) => r.code === code);

async function watcher() {
  const p = await newPlayer(ctx.clients);
  const lists = record<LobbySummary[]>(p.socket, 'browser:list');
  const first = expectOk(await request<LobbySummary[]>(p.socket, 'browser:watch', { watch: true }));
  return { socket: p.socket, lists, first };
}

describe('browser:watch', () => {
  it('acks the public lobbies only', async () => {
    const pub = await setupLobby(ctx.clients, { guests: 1, input: { name: 'Open room', maxPlayers: 4 } });
    const priv = await setupLobby(ctx.clients, { input: { visibility: 'private' } });
    const { first } = await watcher();
    expect(rowOf(first, pub.lobby.code)).toEqual({
      code: pub.lobby.code,
      name: 'Open room',
      hostName: 'Host',
      players: 2,
      maxPlayers: 4,
      status: 'open',
    });
    expect(rowOf(first, priv.lobby.code)).toBeUndefined();
    expect(JSON.stringify(first)).not.toContain(priv.lobby.inviteToken);
    expect(JSON.stringify(first)).not.toContain(pub.lobby.inviteToken);
  });

  it('pushes live updates as a public lobby is created, joined, locked, left and deleted; never a private one', async () => {
    const w = await watcher();
    const host = await newPlayer(ctx.clients);
    const priv = await createLobby((await newPlayer(ctx.clients)).socket, { visibility: 'private' });
    const { lobby } = await createLobby(host.socket, { name: 'Live' });
    const code = lobby.code;

    expect(rowOf(await w.lists.waitFor((rows) => !!rowOf(rows, code)), code)?.players).toBe(1);

    const guest = await newPlayer(ctx.clients);
    expectOk(await joinByCode(guest.socket, code));
    await w.lists.waitFor((rows) => rowOf(rows, code)?.players === 2);

    expectOk(await request(host.socket, 'lobby:lock', { locked: true }));
    await w.lists.waitFor((rows) => rowOf(rows, code)?.status === 'locked');

    expectOk(await request(guest.socket, 'lobby:leave', {}));
    await w.lists.waitFor((rows) => rowOf(rows, code)?.players === 1);

    expectOk(await request(host.socket, 'lobby:leave', {}));
    const mark = w.lists.items.length;
    await w.lists.waitFor((rows) => !rowOf(rows, code), mark);

    expect(w.lists.items.length).toBeGreaterThan(0);
    for (const rows of [w.first, ...w.lists.items]) expect(rowOf(rows, priv.lobby.code)).toBeUndefined();
  });

  it('a lobby made private leaves the list; made public again it comes back', async () => {
    const w = await watcher();
    const { host, lobby } = await setupLobby(ctx.clients);
    await w.lists.waitFor((rows) => !!rowOf(rows, lobby.code));
    expectOk(await request(host.socket, 'lobby:settings', { visibility: 'private' }));
    const hidden = w.lists.items.length;
    await w.lists.waitFor((rows) => !rowOf(rows, lobby.code), hidden);
    expectOk(await request(host.socket, 'lobby:settings', { visibility: 'public', name: 'Back' }));
    const back = await w.lists.waitFor((rows) => !!rowOf(rows, lobby.code), hidden);
    expect(rowOf(back, lobby.code)?.name).toBe('Back');
  });

  it('watch:false unsubscribes: later pushes reach other watchers only', async () => {
    const quitter = await watcher();
    const stays = await watcher();
    expect(await request(quitter.socket, 'browser:watch', { watch: false })).toEqual({ ok: true, data: [] });
    const rooms = await ctx.server.app.io.in(browserRoom(DEFAULT_GAME)).fetchSockets();
    expect(rooms.map((s) => s.id)).not.toContain(quitter.socket.id);

    const mark = quitter.lists.items.length;
    const { lobby } = await setupLobby(ctx.clients, { input: { name: 'After quit' } });
    await stays.lists.waitFor((rows) => !!rowOf(rows, lobby.code));
    // The push went to the room in one call before this round-trip was handled: had the quitter been
    // in the room, its copy would have arrived before this ack.
    expectOk(await request(quitter.socket, 'browser:watch', { watch: false }));
    expect(quitter.lists.items.slice(mark).some((rows) => !!rowOf(rows, lobby.code))).toBe(false);
  });
});
