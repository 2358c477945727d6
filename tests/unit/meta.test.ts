import { describe, expect, it } from 'vitest';
import {
  CreateLobbyInput,
  ErrorCode,
  MAX_LOBBY_META_BYTES,
  MAX_PLAYER_META_BYTES,
  SetLobbyMetaInput,
  SetPlayerMetaInput,
  isMeta,
} from '../../lib/protocol';
import { toLobbyView } from '../../server/lobby/views';
import { parseLobbyRecord } from '../../server/store/lobbyRecord';
import { T0, lobbyWith, must, mustFail, newLobby } from './fixtures';

const nest = (depth: number): unknown => (depth === 0 ? 1 : { n: nest(depth - 1) });
/** A one-key object whose JSON is exactly `bytes` long. */
const ofBytes = (bytes: number) => ({ k: 'x'.repeat(bytes - '{"k":""}'.length) });

describe('metadata: a small JSON object', () => {
  it('accepts plain JSON objects up to the size and depth caps', () => {
    for (const meta of [
      {},
      { map: 'arena', mode: 'ffa', rounds: 5, ranked: false, extra: null },
      { teams: [['a', 'b'], ['c']] },
      nest(4),
    ]) {
      expect(SetLobbyMetaInput.safeParse({ meta }).success).toBe(true);
    }
    expect(SetLobbyMetaInput.safeParse({ meta: ofBytes(MAX_LOBBY_META_BYTES) }).success).toBe(true);
    expect(SetPlayerMetaInput.safeParse({ meta: ofBytes(MAX_PLAYER_META_BYTES) }).success).toBe(true);
  });

  it('refuses one byte over, one level deeper, and anything that is not a JSON object', () => {
    expect(SetLobbyMetaInput.safeParse({ meta: ofBytes(MAX_LOBBY_META_BYTES + 1) }).success).toBe(false);
    expect(SetPlayerMetaInput.safeParse({ meta: ofBytes(MAX_PLAYER_META_BYTES + 1) }).success).toBe(false);
    // Multi-byte characters count in UTF-8 bytes, not UTF-16 units.
    expect(SetPlayerMetaInput.safeParse({ meta: { k: 'é'.repeat(125) } }).success).toBe(false);
    expect(SetLobbyMetaInput.safeParse({ meta: nest(5) }).success).toBe(false);
    expect(SetLobbyMetaInput.safeParse({ meta: { a: [[[[1]]]] } }).success).toBe(false);
    for (const meta of [
      null,
      'x',
      3,
      [],
      [1],
      { n: NaN },
      { n: Infinity },
      { d: new Date() },
      { u: undefined },
      { f: () => 1 },
    ]) {
      expect(SetLobbyMetaInput.safeParse({ meta }).success).toBe(false);
    }
    expect(SetLobbyMetaInput.safeParse({}).success).toBe(false);
    expect(SetLobbyMetaInput.safeParse({ meta: {}, more: 1 }).success).toBe(false);
  });

  it('refuses a packet-sized object of many small keys (the walk stops at the cap)', () => {
    const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]));
    expect(isMeta(many, MAX_LOBBY_META_BYTES, 4)).toBe(false);
    expect(isMeta({ a: 1 }, MAX_LOBBY_META_BYTES, 4)).toBe(true);
  });

  it("a create may carry the lobby's first metadata", () => {
    const base = { nickname: 'A', name: 'Room', visibility: 'public' };
    expect(CreateLobbyInput.parse({ ...base, meta: { map: 'arena' } }).meta).toEqual({ map: 'arena' });
    expect(CreateLobbyInput.parse(base).meta).toBeUndefined();
    expect(CreateLobbyInput.safeParse({ ...base, meta: ofBytes(MAX_LOBBY_META_BYTES + 1) }).success).toBe(
      false,
    );
  });
});

describe('metadata in the lobby core', () => {
  it("only the host sets the lobby's; it replaces the old one and everyone sees it in the view", () => {
    const lobby = lobbyWith(['a']);
    const set = must(lobby, { type: 'set-meta', actor: 'player-host', meta: { map: 'arena', mode: 'ffa' } });
    const replaced = must(set, { type: 'set-meta', actor: 'player-host', meta: { map: 'pit' } });
    expect(toLobbyView(replaced).meta).toEqual({ map: 'pit' });
    mustFail(lobby, { type: 'set-meta', actor: 'player-a', meta: { map: 'x' } }, ErrorCode.FORBIDDEN);
    mustFail(lobby, { type: 'set-meta', actor: 'player-nobody', meta: { map: 'x' } }, ErrorCode.NOT_IN_LOBBY);
  });

  it('each member sets only their own player metadata', () => {
    const lobby = must(lobbyWith(['a', 'b']), {
      type: 'set-player-meta',
      playerId: 'player-a',
      meta: { team: 'red' },
    });
    expect(toLobbyView(lobby).members.map((m) => m.meta)).toEqual([{}, { team: 'red' }, {}]);
    mustFail(lobby, { type: 'set-player-meta', playerId: 'player-gone', meta: {} }, ErrorCode.NOT_IN_LOBBY);
  });

  it("setting the lobby's metadata is a host power: a stand-in host who uses it keeps the role", () => {
    let lobby = lobbyWith(['a']);
    lobby = must(lobby, { type: 'drop', playerId: 'player-host', connectionId: '', now: T0 + 5 });
    expect(lobby.hostId).toBe('player-a');
    lobby = must(lobby, { type: 'set-meta', actor: 'player-a', meta: { mode: 'teams' } });
    expect(lobby.hostHandback).toBeNull();
  });

  it('a lobby stored before metadata existed reads with empty metadata', () => {
    const { meta: _m, ...old } = newLobby();
    const members = old.members.map(({ meta: _pm, ...m }) => m);
    const read = parseLobbyRecord(JSON.stringify({ ...old, members }));
    expect(read.meta).toEqual({});
    expect(read.members[0]?.meta).toEqual({});
  });
});
