import type { Logger } from 'pino';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import type { Publish } from './publisher';

/**
 * Holds dropped members' seats for the grace window, then frees them. One timer per held seat in
 * the process that saw the drop; a crashed process's seats are the Redis janitor's job.
 */
export class SeatKeeper {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly lobbies: LobbyService,
    private readonly publish: Publish,
    private readonly log: Logger,
    readonly graceMs: number,
  ) {}

  hold(lobby: Pick<Lobby, 'id' | 'game'>, playerId: string, since: number) {
    this.release(playerId);
    const timer = setTimeout(() => {
      this.timers.delete(playerId);
      this.lobbies
        .run(lobby.id, { type: 'expire', playerId, since })
        .then((r) => r.ok && this.publish(lobby.id, r.data, lobby.game))
        .catch((err: unknown) => this.log.warn({ err, lobbyId: lobby.id }, 'seat expiry failed'));
    }, this.graceMs);
    timer.unref();
    this.timers.set(playerId, timer);
  }

  /** Holds every seat that is already dropped in these lobbies (read back after a restart). */
  holdDropped(lobbies: readonly Lobby[]) {
    for (const lobby of lobbies) {
      for (const m of lobby.members)
        if (m.presence.kind === 'dropped') this.hold(lobby, m.id, m.presence.since);
    }
  }

  release(playerId: string) {
    const timer = this.timers.get(playerId);
    if (timer) clearTimeout(timer);
    this.timers.delete(playerId);
  }

  close() {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
}
