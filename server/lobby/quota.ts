import { ErrorCode, fail, type Result } from '../../lib/protocol';

interface Entry {
  ids: Set<string>;
  pending: number;
  /** Prune dead ids once the set reaches this size (below the cap). */
  pruneAt: number;
}
const PRUNE_FLOOR = 16;

/**
 * Lobbies per creating address. A lobby counts while it is in the store, which includes a lobby whose
 * members are all dropped (their seats are held for the grace window): closing the sockets does not
 * give the slot back early. Per process, like the other in-memory budgets.
 */
export class LobbyQuota {
  /** Per address: the ids of lobbies it created, and creations in flight. */
  private readonly byAddress = new Map<string, Entry>();

  constructor(
    private readonly exists: (lobbyId: string) => Promise<boolean>,
    private readonly max: () => number,
  ) {}

  /**
   * Takes a slot for a creation, or returns null when the address is at its cap. The slot is then
   * either `bind`-ed to the created lobby or `release`-d.
   */
  async reserve(address: string): Promise<{ bind(lobbyId: string): void; release(): void } | null> {
    const entry = this.byAddress.get(address) ?? { ids: new Set<string>(), pending: 0, pruneAt: PRUNE_FLOOR };
    this.byAddress.set(address, entry);
    // Forget lobbies that are gone (emptied or expired) at the cap, before counting again (at most `max`
    // look-ups), and whenever the set has doubled since it was last pruned: with a lifted cap, pruning on
    // every creation cost a look-up per live lobby of the address, one prune per doubling is O(1) a creation.
    if (entry.ids.size + entry.pending >= this.max() || entry.ids.size >= entry.pruneAt) {
      const alive = await Promise.all([...entry.ids].map(async (id) => [id, await this.exists(id)] as const));
      for (const [id, live] of alive) if (!live) entry.ids.delete(id);
      entry.pruneAt = Math.max(PRUNE_FLOOR, 2 * entry.ids.size);
    }
    // Checked and taken with no await in between: two sockets of one address cannot both pass at cap - 1.
    if (entry.ids.size + entry.pending >= this.max()) {
      this.forgetIfEmpty(address, entry);
      return null;
    }
    entry.pending++;
    let settled = false;
    const settle = (lobbyId?: string) => {
      if (settled) return;
      settled = true;
      entry.pending--;
      if (lobbyId) entry.ids.add(lobbyId);
      this.forgetIfEmpty(address, entry);
    };
    return { bind: (lobbyId) => settle(lobbyId), release: () => settle() };
  }

  /**
   * Creates a lobby within the address's quota: TOO_MANY_LOBBIES at the cap; the slot is bound to the
   * lobby made, and given back when creation fails or throws.
   */
  async create<T extends { id: string }>(
    address: string,
    make: () => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const slot = await this.reserve(address);
    if (!slot) return fail(ErrorCode.TOO_MANY_LOBBIES);
    const created = await make().catch((err: unknown) => {
      slot.release();
      throw err;
    });
    if (created.ok) slot.bind(created.data.id);
    else slot.release();
    return created;
  }

  /** Lobbies counted for an address, as of its last reservation. */
  counted(address: string): number {
    const entry = this.byAddress.get(address);
    return entry ? entry.ids.size + entry.pending : 0;
  }

  private forgetIfEmpty(address: string, entry: Entry) {
    if (entry.ids.size === 0 && entry.pending === 0 && this.byAddress.get(address) === entry)
      this.byAddress.delete(address);
  }
}
