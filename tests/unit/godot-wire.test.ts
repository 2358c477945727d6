import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { applyCommand, createLobby } from '../../server/lobby/lobby';
import { noticesFor, snapshotOf, visiblePeers } from '../../server/godot/roster';
import { decode, encode } from '../../server/godot/wire';

const CAND = '\n0\n0\ncandidate:1 1 UDP 1 127.0.0.1 5000 typ host';

describe('Godot wire: decode', () => {
  it('Godot 4: JOIN mesh/client-server, SEAL, relays with destination, ICE request', () => {
    expect(decode(4, '{"type":0,"id":0,"data":""}')).toEqual({
      ok: true,
      msg: { kind: 'join', lobby: '', mesh: true },
    });
    expect(decode(4, '{"type":0,"id":1,"data":"K7QX2M"}')).toEqual({
      ok: true,
      msg: { kind: 'join', lobby: 'K7QX2M', mesh: false },
    });
    expect(decode(4, '{"type":7,"id":0,"data":""}')).toEqual({ ok: true, msg: { kind: 'seal' } });
    expect(decode(4, '{"type":4,"id":12,"data":"v=0"}')).toEqual({
      ok: true,
      msg: { kind: 'relay', type: 'offer', to: 12, data: 'v=0' },
    });
    expect(decode(4, JSON.stringify({ type: 6, id: 1, data: CAND }))).toMatchObject({
      ok: true,
      msg: { type: 'candidate', to: 1, data: CAND },
    });
    expect(decode(4, '{"type":8,"id":0}')).toEqual({ ok: true, msg: { kind: 'ice' } });
  });

  it('Godot 3: J/S/O/A/C lines, payload after the first newline', () => {
    expect(decode(3, 'J: \n')).toEqual({ ok: true, msg: { kind: 'join', lobby: '', mesh: true } });
    expect(decode(3, 'J: K7QX2M\n')).toEqual({
      ok: true,
      msg: { kind: 'join', lobby: 'K7QX2M', mesh: true },
    });
    expect(decode(3, 'S: \n')).toEqual({ ok: true, msg: { kind: 'seal' } });
    expect(decode(3, 'A: 1\nv=0\r\nx')).toEqual({
      ok: true,
      msg: { kind: 'relay', type: 'answer', to: 1, data: 'v=0\r\nx' },
    });
    expect(decode(3, `C: 77\n${CAND}`)).toMatchObject({
      ok: true,
      msg: { type: 'candidate', to: 77, data: CAND },
    });
    expect(decode(3, 'X: ice\n')).toEqual({ ok: true, msg: { kind: 'ice' } });
  });

  it.each([
    [4, 'nope', ErrorCode.INVALID_PAYLOAD],
    [4, '{"type":1,"id":3,"data":""}', ErrorCode.INVALID_PAYLOAD], // ID is the server's
    [4, '{"type":4,"id":-1,"data":"v=0"}', ErrorCode.INVALID_PAYLOAD],
    [4, '{"type":4,"id":0,"data":"v=0"}', ErrorCode.PEER_NOT_FOUND],
    [4, '{"type":4,"id":3,"data":""}', ErrorCode.INVALID_PAYLOAD],
    [4, '{"type":6,"id":3,"data":"\\nx\\ny"}', ErrorCode.INVALID_PAYLOAD],
    [4, `{"type":4,"id":3,"data":"${'v'.repeat(20_000)}"}`, ErrorCode.TOO_LARGE],
    [3, 'J: K7QX2M', ErrorCode.INVALID_PAYLOAD], // no newline
    [3, 'N: 5\n', ErrorCode.INVALID_PAYLOAD],
    [3, 'O: 1x\nv=0', ErrorCode.PEER_NOT_FOUND],
    [3, 'O: 99999999999\nv=0', ErrorCode.PEER_NOT_FOUND],
    [3, 'C: 4\nonly one line', ErrorCode.INVALID_PAYLOAD],
  ] as const)('v%i refuses %j with %s', (v, text, code) => {
    expect(decode(v, text)).toMatchObject({ ok: false, error: code });
  });
});

describe('Godot wire: encode', () => {
  it('Godot 4 puts the sender in id; Godot 3 in the line', () => {
    expect(JSON.parse(encode(4, { kind: 'relay', type: 'offer', from: 9, data: 'v=0' }))).toEqual({
      type: 4,
      id: 9,
      data: 'v=0',
    });
    expect(JSON.parse(encode(4, { kind: 'id', id: 1, mesh: true }))).toEqual({
      type: 1,
      id: 1,
      data: 'true',
    });
    expect(JSON.parse(encode(4, { kind: 'id', id: 5, mesh: false }))).toEqual({ type: 1, id: 5, data: '' });
    expect(JSON.parse(encode(4, { kind: 'joined', lobby: 'K7QX2M' }))).toEqual({
      type: 0,
      id: 0,
      data: 'K7QX2M',
    });
    expect(encode(3, { kind: 'relay', type: 'candidate', from: 1, data: CAND })).toBe(`C: 1\n${CAND}`);
    expect(encode(3, { kind: 'peer-connect', id: 4 })).toBe('N: 4\n');
    expect(encode(3, { kind: 'sealed' })).toBe('S: \n');
    expect(encode(3, { kind: 'joined', lobby: 'K7QX2M' })).toBe('J: K7QX2M\n');
  });
});

const member = (id: string, peer?: number) => ({
  id,
  nickname: id,
  deviceId: `d-${id}`,
  ...(peer !== undefined ? { peer } : {}),
});
const godotLobby = (topology: 'mesh' | 'client-server') =>
  createLobby({
    id: 'L',
    game: 'godot',
    code: 'K7QX2M',
    inviteToken: 't',
    name: 'n',
    visibility: 'public',
    maxPlayers: 8,
    host: member('h', 1),
    now: 0,
    godot: topology,
  });

describe('Godot lobbies in the lobby core', () => {
  it('peer ids are unique in a lobby; Godot peers and PeerLobby clients never share a lobby', () => {
    const lobby = godotLobby('mesh');
    const join = (m: ReturnType<typeof member>) =>
      applyCommand(lobby, { type: 'join', member: m, via: 'code', game: 'godot', now: 1 });
    expect(join(member('a', 1))).toEqual({ ok: false, error: ErrorCode.BAD_STATE });
    expect(join(member('a'))).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expect(join(member('a', 7))).toMatchObject({ ok: true });
  });

  it('close: the host ends the lobby, nobody else can', () => {
    const r = applyCommand(godotLobby('mesh'), {
      type: 'join',
      member: member('a', 7),
      via: 'code',
      game: 'godot',
      now: 1,
    });
    if (!r.ok || !r.data) throw new Error('join failed');
    expect(applyCommand(r.data, { type: 'close', actor: 'a' })).toEqual({
      ok: false,
      error: ErrorCode.FORBIDDEN,
    });
    expect(applyCommand(r.data, { type: 'close', actor: 'h' })).toEqual({ ok: true, data: null });
  });

  it('notices: mesh shows everyone; client-server shows clients only the host, the host everyone', () => {
    for (const topology of ['mesh', 'client-server'] as const) {
      let lobby = godotLobby(topology);
      for (const [id, peer] of [
        ['a', 7],
        ['b', 9],
      ] as const) {
        const r = applyCommand(lobby, {
          type: 'join',
          member: member(id, peer),
          via: 'code',
          game: 'godot',
          now: 1,
        });
        if (!r.ok || !r.data) throw new Error('join failed');
        lobby = r.data;
      }
      const snap = snapshotOf(lobby);
      expect(visiblePeers(snap, 1).sort()).toEqual([7, 9]);
      expect(visiblePeers(snap, 7)).toEqual(topology === 'mesh' ? [1, 9] : [1]);
      expect(noticesFor(snap, 7, { peers: new Set([1, 42]), sealed: false })).toEqual({
        gone: [42],
        added: topology === 'mesh' ? [9] : [],
        seal: false,
      });
    }
  });
});
