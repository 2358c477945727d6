import { describe, expect, it } from 'vitest';
import { Membership } from '../../server/socket/membership';
import type { Lobby } from '../../server/lobby/types';

const lobby = (id: string, version: number, members: string[]) =>
  ({ id, version, members: members.map((m) => ({ id: m })) }) as unknown as Lobby;

describe('Membership cache', () => {
  it('allows only members of the same lobby, never oneself', () => {
    const m = new Membership();
    m.update(lobby('L1', 1, ['a', 'b']));
    m.update(lobby('L2', 1, ['c']));
    expect(m.check('L1', 'a', 'b')).toBeNull();
    expect(m.check('L1', 'a', 'c')).toBe('PEER_NOT_FOUND');
    expect(m.check('L1', 'a', 'a')).toBe('PEER_NOT_FOUND');
    expect(m.check('L1', 'c', 'a')).toBe('NOT_IN_LOBBY');
    expect(m.check('L9', 'a', 'b')).toBe('NOT_IN_LOBBY');
  });

  it('never goes back to an older version, and forgets deleted lobbies', () => {
    const m = new Membership();
    m.update(lobby('L1', 3, ['a']));
    m.update(lobby('L1', 2, ['a', 'b']));
    expect(m.check('L1', 'a', 'b')).toBe('PEER_NOT_FOUND');
    m.update(lobby('L1', 4, ['a', 'b']));
    expect(m.check('L1', 'a', 'b')).toBeNull();
    m.delete('L1');
    expect(m.check('L1', 'a', 'b')).toBe('NOT_IN_LOBBY');
    expect(m.size).toBe(0);
  });
});
