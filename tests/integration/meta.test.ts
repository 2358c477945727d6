import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  MAX_LOBBY_META_BYTES,
  MAX_PLAYER_META_BYTES,
  type Joined,
  type LobbyView,
} from '../../lib/protocol';
import { Clients, createLobby, expectOk, newPlayer, serverPerFile, setupLobby } from '../helpers/lobby';
import { request, startTestServer } from '../helpers/server';

/** Lobby metadata (host) and player metadata (each player, for themself), broadcast with the lobby. */
const ctx = serverPerFile();

describe('lobby and player metadata', () => {
  it("the host sets the lobby's metadata; every member gets it in lobby:state", async () => {
    const f = await setupLobby(ctx.clients, { guests: 2 });
    expectOk(
      await request(f.host.socket, 'lobby:set-meta', { meta: { map: 'arena', mode: 'ffa', rounds: 3 } }),
    );
    const seen = await Promise.all(
      f.all.map((m) => m.states.waitFor((v) => v.version === f.lobby.version + 1)),
    );
    for (const v of seen) expect(v.meta).toEqual({ map: 'arena', mode: 'ffa', rounds: 3 });
  });

  it("each player sets their own metadata, seen by all; nobody can set another's", async () => {
    const f = await setupLobby(ctx.clients, { guests: 1 });
    const [guest] = f.guests;
    expectOk(
      await request(guest!.socket, 'lobby:set-player-meta', { meta: { team: 'red', colour: '#f00' } }),
    );
    const seen = await Promise.all(
      f.all.map((m) => m.states.waitFor((v) => v.version === f.lobby.version + 1)),
    );
    for (const v of seen) {
      expect(v.members.find((m) => m.id === guest!.id)?.meta).toEqual({ team: 'red', colour: '#f00' });
      expect(v.members.find((m) => m.id === f.host.id)?.meta).toEqual({});
    }
    // A player id in the payload is not a way to write someone else's: the schema refuses the key.
    expect(
      await request(guest!.socket, 'lobby:set-player-meta', { meta: { team: 'blue' }, playerId: f.host.id }),
    ).toEqual({
      ok: false,
      error: ErrorCode.INVALID_PAYLOAD,
    });
  });

  it('refusals change nothing and broadcast nothing: not the host, too large, too deep, not in a lobby', async () => {
    const f = await setupLobby(ctx.clients, { guests: 1 });
    const [guest] = f.guests;
    const marks = f.all.map((m) => m.states.items.length);
    const refusals = [
      [guest!.socket, 'lobby:set-meta', { meta: { map: 'x' } }, ErrorCode.FORBIDDEN],
      [
        f.host.socket,
        'lobby:set-meta',
        { meta: { k: 'x'.repeat(MAX_LOBBY_META_BYTES) } },
        ErrorCode.INVALID_PAYLOAD,
      ],
      [
        f.host.socket,
        'lobby:set-meta',
        { meta: { a: { b: { c: { d: { e: 1 } } } } } },
        ErrorCode.INVALID_PAYLOAD,
      ],
      [
        guest!.socket,
        'lobby:set-player-meta',
        { meta: { k: 'x'.repeat(MAX_PLAYER_META_BYTES) } },
        ErrorCode.INVALID_PAYLOAD,
      ],
      [guest!.socket, 'lobby:set-player-meta', { meta: ['red'] }, ErrorCode.INVALID_PAYLOAD],
    ] as const;
    for (const [socket, event, payload, error] of refusals)
      expect(await request(socket, event, payload)).toEqual({ ok: false, error });
    const outsider = await newPlayer(ctx.clients);
    expect(await request(outsider.socket, 'lobby:set-player-meta', { meta: {} })).toEqual({
      ok: false,
      error: ErrorCode.NOT_IN_LOBBY,
    });
    // A command that succeeds afterwards is the very next version: nothing was applied in between.
    expectOk(await request(f.host.socket, 'lobby:ready', { ready: true }));
    const next = await f.host.states.waitFor((v) => v.version > f.lobby.version);
    expect(next.version).toBe(f.lobby.version + 1);
    expect(next.meta).toEqual({});
    expect(
      f.all.map((m, i) =>
        m.states.items.slice(marks[i]).filter((v: LobbyView) => v.version !== next.version),
      ),
    ).toEqual([[], []]);
  });

  it('a lobby can be created with metadata', async () => {
    const p = await newPlayer(ctx.clients);
    const created = expectOk(
      await request<Joined>(p.socket, 'lobby:create', {
        nickname: 'H',
        name: 'R',
        visibility: 'public',
        meta: { mode: 'teams' },
      }),
    );
    expect(created.lobby.meta).toEqual({ mode: 'teams' });
  });

  it('metadata commands spend the same per-socket event budget as every lobby command', async () => {
    const limited = await startTestServer({ limits: { playerEventPoints: 3 } });
    try {
      const clients = new Clients(() => limited.url);
      const s = await clients.connect();
      await createLobby(s);
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await request(s, 'lobby:set-player-meta', { meta: { i } }));
      expect(answers.map((a) => (a.ok ? 'ok' : a.error))).toEqual(['ok', 'ok', ErrorCode.RATE_LIMITED]);
      clients.closeAll();
    } finally {
      await limited.close();
    }
  });
});
