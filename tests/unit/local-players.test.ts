import { describe, expect, it } from 'vitest';
import { LocalPlayers } from '../../server/socket/localPlayers';
import type { IoSocket } from '../../server/socket/types';

const socket = (id: string) => ({ id }) as unknown as IoSocket;

describe('LocalPlayers', () => {
  it('routes a player id to the socket that seated it last', () => {
    const players = new LocalPlayers();
    const first = socket('s1');
    const second = socket('s2');
    players.seat('p', first);
    expect(players.get('p')).toBe(first);
    players.seat('p', second); // the seat taken back on a new connection
    expect(players.get('p')).toBe(second);
  });

  it('a replaced socket unseating itself leaves the new one in place', () => {
    const players = new LocalPlayers();
    const old = socket('s1');
    const fresh = socket('s2');
    players.seat('p', old);
    players.seat('p', fresh);
    players.unseat('p', old);
    expect(players.get('p')).toBe(fresh);
    players.unseat('p', fresh);
    expect(players.get('p')).toBeUndefined();
    expect(players.size).toBe(0);
  });
});
