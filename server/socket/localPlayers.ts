import type { IoSocket } from './types';

/**
 * The sockets of this instance's seated players, by player id: the signal path emits straight on the
 * target's socket instead of broadcasting to its player room (a BroadcastOperator, the adapter's room
 * look-up and a pre-encoded frame per relayed signal). A player seated on another instance is not here;
 * the room broadcast, which the adapter carries across instances, reaches it.
 */
export class LocalPlayers {
  private readonly sockets = new Map<string, IoSocket>();

  seat(playerId: string, socket: IoSocket) {
    this.sockets.set(playerId, socket);
  }

  /** Forgets the player's socket, if it is still this one (a resume elsewhere may have replaced it). */
  unseat(playerId: string, socket: IoSocket) {
    if (this.sockets.get(playerId) === socket) this.sockets.delete(playerId);
  }

  get(playerId: string): IoSocket | undefined {
    return this.sockets.get(playerId);
  }

  get size() {
    return this.sockets.size;
  }
}
