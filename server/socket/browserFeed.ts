import type { LobbySummary } from '../../lib/protocol';
import type { LobbyService } from '../lobby/service';
import { toSummary } from '../lobby/views';
import { BROWSER_ROOM, type IoServer } from './types';

/** Coalesces bursts of lobby changes into one list push per window. */
const BROWSER_PUSH_DELAY_MS = 100;
const MAX_LISTED_LOBBIES = 100;

const STATUS_ORDER: Record<LobbySummary['status'], number> = { open: 0, full: 1, locked: 2, 'in-game': 3 };

/** Keeps watchers of the public lobby browser up to date. */
export class BrowserFeed {
  private timer: NodeJS.Timeout | null = null;
  private lastSent = '';

  constructor(
    private readonly io: IoServer,
    private readonly lobbies: LobbyService,
  ) {}

  async list(): Promise<LobbySummary[]> {
    // A lobby nobody is connected to (every seat only held) is not offered: spam lobbies whose sockets
    // are gone must not push live ones out of the list while they wait to expire.
    const rows = (await this.lobbies.listPublic())
      .filter((l) => l.members.some((m) => m.presence.kind === 'present'))
      .map(toSummary)
      .filter((s): s is LobbySummary => s !== null);
    rows.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.players - a.players);
    return rows.slice(0, MAX_LISTED_LOBBIES);
  }

  markDirty() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.push();
    }, BROWSER_PUSH_DELAY_MS);
  }

  private async push() {
    const rows = await this.list().catch(() => null);
    if (!rows) return;
    const json = JSON.stringify(rows);
    if (json === this.lastSent) return;
    this.lastSent = json;
    this.io.to(BROWSER_ROOM).emit('browser:list', rows);
  }

  close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
