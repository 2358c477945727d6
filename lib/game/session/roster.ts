/** Who holds which slot. The host owns it; clients receive it over the reliable channel. */
import { MAX_PLAYERS } from '../constants';
import type { RosterEntry } from '../codec';

export class Roster {
  private bySlot = new Map<number, RosterEntry>();

  constructor(entries: readonly RosterEntry[] = []) {
    for (const e of entries)
      if (!this.slotOf(e.id) && !this.bySlot.has(e.slot)) this.bySlot.set(e.slot, { ...e });
  }

  /** Lowest free slot, or null when all MAX_PLAYERS are taken (the peer can still watch). */
  add(id: string, nickname: string): number | null {
    const existing = this.slotOf(id);
    if (existing !== null) return existing;
    for (let slot = 0; slot < MAX_PLAYERS; slot++) {
      if (!this.bySlot.has(slot)) {
        this.bySlot.set(slot, { slot, id, nickname });
        return slot;
      }
    }
    return null;
  }

  remove(id: string): number | null {
    const slot = this.slotOf(id);
    if (slot !== null) this.bySlot.delete(slot);
    return slot;
  }

  slotOf(id: string): number | null {
    for (const e of this.bySlot.values()) if (e.id === id) return e.slot;
    return null;
  }

  entry(slot: number): RosterEntry | undefined {
    return this.bySlot.get(slot);
  }

  entries(): RosterEntry[] {
    return [...this.bySlot.values()].sort((a, b) => a.slot - b.slot);
  }
}
