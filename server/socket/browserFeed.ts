import { ok, type LobbySummary, type Result } from '../../lib/protocol';
import type { LobbyService } from '../lobby/service';
import { toSummary } from '../lobby/views';
import { browserRoom, type IoServer } from './types';

/** Coalesces bursts of lobby changes into one list push per game per window. */
const BROWSER_PUSH_DELAY_MS = 100;
const MAX_LISTED_LOBBIES = 100;

const STATUS_ORDER: Record<LobbySummary['status'], number> = { open: 0, full: 1, locked: 2, 'in-game': 3 };

/** Keeps watchers of each game's public lobby browser up to date. */
export class BrowserFeed {
  private timer: NodeJS.Timeout | null = null;
  /** Games changed since the last push. */
  private readonly dirty = new Set<string>();
  /** Per game, the list last pushed from this instance (an unchanged list is not sent again). */
  private readonly lastSent = new Map<string, string>();

  /**
   * `multiInstance`: other instances' watchers get this instance's pushes through the adapter, so every
   * change is pushed; alone, a game nobody here watches gets no push at all (see `push`).
   */
  constructor(
    private readonly io: IoServer,
    private readonly lobbies: LobbyService,
    private readonly multiInstance = false,
  ) {}

  async list(game: string): Promise<Result<LobbySummary[]>> {
    const listed = await this.lobbies.listPublic(game);
    if (!listed.ok) return listed;
    // A lobby nobody is connected to (every seat only held) is not offered: spam lobbies whose sockets
    // are gone must not push live ones out of the list while they wait to expire.
    const rows = listed.data
      .filter((l) => l.members.some((m) => m.presence.kind === 'present'))
      .map(toSummary)
      .filter((s): s is LobbySummary => s !== null);
    rows.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.players - a.players);
    return ok(rows.slice(0, MAX_LISTED_LOBBIES));
  }

  markDirty(game: string) {
    this.dirty.add(game);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const games = [...this.dirty];
      this.dirty.clear();
      for (const g of games) void this.push(g);
    }, BROWSER_PUSH_DELAY_MS);
  }

  private async push(game: string) {
    // Building the list reads every public lobby of the game: with nobody watching, a burst of joins
    // would pay that every 100 ms for nothing. A watcher who comes later gets the list in its ack, and
    // the next push is compared with nothing (a list remembered from before could hide a change).
    if (!this.multiInstance && !this.io.of('/').adapter.rooms.has(browserRoom(game))) {
      this.lastSent.delete(game);
      return;
    }
    // A store outage or a game no longer hosted: nothing to push; the next change tries again.
    const rows = await this.list(game).catch(() => null);
    if (!rows?.ok) return;
    const json = JSON.stringify(rows.data);
    if (json === this.lastSent.get(game)) return;
    // Games come and go (with GAMES=* any slug may): an empty list is sent, not remembered.
    if (rows.data.length > 0) this.lastSent.set(game, json);
    else this.lastSent.delete(game);
    this.io.to(browserRoom(game)).emit('browser:list', rows.data);
  }

  close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
