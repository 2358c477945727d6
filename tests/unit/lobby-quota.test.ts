import { describe, expect, it } from 'vitest';
import { LobbyQuota } from '../../server/lobby/quota';

describe('LobbyQuota: lobbies per creating address', () => {
  const setup = (max: number) => {
    const live = new Set<string>();
    const quota = new LobbyQuota(
      async (id) => live.has(id),
      () => max,
    );
    const create = async (address: string, id: string) => {
      const slot = await quota.reserve(address);
      if (!slot) return false;
      live.add(id);
      slot.bind(id);
      return true;
    };
    return { live, quota, create };
  };

  it('refuses past the cap; a lobby counts until it is gone from the store', async () => {
    const { live, quota, create } = setup(2);
    expect(await create('a', 'L1')).toBe(true);
    expect(await create('a', 'L2')).toBe(true);
    expect(await create('a', 'L3')).toBe(false);
    expect(await create('b', 'L4')).toBe(true); // another address has its own slots
    live.delete('L1'); // expired (its dropped members' grace ended)
    expect(await create('a', 'L5')).toBe(true);
    expect(quota.counted('a')).toBe(2);
  });

  it('concurrent reservations cannot overshoot, and a released one gives its slot back', async () => {
    const { quota } = setup(2);
    const slots = await Promise.all([quota.reserve('a'), quota.reserve('a'), quota.reserve('a')]);
    expect(slots.filter(Boolean)).toHaveLength(2);
    slots[0]!.release();
    slots[0]!.release(); // twice is once
    expect(quota.counted('a')).toBe(1);
    expect(await quota.reserve('a')).not.toBeNull();
  });
});
