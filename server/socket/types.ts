import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/protocol';

/** Between app instances (through the Redis adapter): keeps every signal path's membership cache current. */
export interface InterServerEvents {
  'lobby:membership': (lobbyId: string, version: number, memberIds: string[] | null) => void;
  /** A Godot relay (server/godot) to a player whose connection is on another instance. */
  'godot:relay': (to: string, type: 'offer' | 'answer' | 'candidate', from: number, data: string) => void;
}

/** Per-socket state, set only by the server. */
export interface SocketData {
  deviceId: string;
  /** The client's address as per-address budgets key it (IPv6 by /64); set by the first middleware. */
  address?: string;
  /** The handshake's Host header (the handshake request itself is not kept: handshakeInfo.ts). */
  host?: string;
  playerId?: string;
  lobbyId?: string;
  /** The game of the lobby this socket is seated in. */
  game?: string;
  /** The game whose lobby browser this socket watches, if any. */
  browsing?: string;
  /** From the handshake, consumed once on connection. */
  resume?: { lobbyId: string; playerId: string; token: string };
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const lobbyRoom = (lobbyId: string) => `lobby:${lobbyId}`;
export const playerRoom = (playerId: string) => `player:${playerId}`;
/** Watchers of one game's lobby browser. */
export const browserRoom = (game: string) => `browser:${game}`;
