import type { Logger } from 'pino';
import type { Result } from '../../lib/protocol';
import { restoredAfterRestart } from '../lobby/restore';
import type { Lobby } from '../lobby/types';
import { readLobbyFile, writeLobbyFile } from './lobbyFile';
import { MemoryLobbyStore } from './memory';

/**
 * Changes within this long are written together. The file is written whole (JSON of every lobby, on the
 * event loop), so this bounds that cost on a busy server to one write a second; it is also what a kill -9
 * can lose (a player who joined in that second rejoins instead of resuming).
 */
const SAVE_DELAY_MS = 1000;

/**
 * The default store with a file behind it (DATA_DIR): every change is saved shortly after, and a server
 * that starts again reads its lobbies back — same codes, invite links, members, host and seats — with
 * every member's seat held for the grace window, so players' clients resume as after any reconnect while
 * their game goes on peer to peer. Only the server writes the file; clients cannot add to it.
 */
export class PersistedMemoryStore extends MemoryLobbyStore {
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {
    super();
  }

  static async open(file: string, log: Logger, now = Date.now()): Promise<PersistedMemoryStore> {
    const store = new PersistedMemoryStore(file, log);
    const saved = await readLobbyFile(file, (reason) => log.warn({ file }, `lobby file: ${reason}; skipped`));
    for (const lobby of saved) await store.insert(restoredAfterRestart(lobby, now));
    if (saved.length)
      log.info(
        { lobbies: saved.length, file },
        'lobbies restored after a restart; seats held for their players',
      );
    return store;
  }

  override async insert(lobby: Lobby): Promise<boolean> {
    const inserted = await super.insert(lobby);
    if (inserted) this.scheduleSave();
    return inserted;
  }

  override async update(
    id: string,
    fn: (lobby: Lobby) => Result<Lobby | null>,
  ): Promise<Result<Lobby | null>> {
    const result = await super.update(id, fn);
    if (result.ok) this.scheduleSave();
    return result;
  }

  /** Writes what is pending now (shutdown), then keeps the file: the next start reads it back. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.save();
    await super.close();
  }

  private scheduleSave() {
    if (this.closed || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  private save(): Promise<void> {
    // Writes never overlap: each waits for the one before, and writes the state of its own moment.
    this.saving = this.saving.then(async () => {
      try {
        await writeLobbyFile(this.file, await this.listAll());
      } catch (err) {
        this.log.error({ err, file: this.file }, 'lobby file not written: a restart now would lose lobbies');
      }
    });
    return this.saving;
  }
}
