import { createStore } from 'zustand/vanilla';
import type { ErrorCode, LobbySummary, LobbyView } from '../protocol';
import type { ConnectionStatus } from '../client/LobbyClient';
import type { PeerStats } from '../client/mesh/types';
import type { ChatEntry } from '../client/chat/LobbyChat';

/** A notice shown to the player: an error code from the server or a client-side event. */
export type Notice =
  { kind: 'error'; code: ErrorCode } | { kind: 'removed'; reason: 'kicked' | 'banned' | 'connection-lost' };

export interface ConnectionSlice {
  connection: ConnectionStatus;
  setConnection: (status: ConnectionStatus) => void;
}

export interface LobbySlice {
  lobby: LobbyView | null;
  selfId: string | null;
  setLobby: (lobby: LobbyView | null, selfId: string | null) => void;
}

export interface BrowserSlice {
  /** null until the first list arrives (shows a skeleton, not "no lobbies"). */
  publicLobbies: LobbySummary[] | null;
  setPublicLobbies: (rows: LobbySummary[]) => void;
}

export interface NoticeSlice {
  notice: Notice | null;
  setNotice: (notice: Notice | null) => void;
}

export interface PeersSlice {
  /** One row per other member: state, route, candidate pair, RTT, rates (from the Mesh). */
  peers: PeerStats[];
  setPeers: (peers: PeerStats[]) => void;
}

export interface PrivacySlice {
  /** Relay-only ICE (TURN, else the server relay): peers never learn this browser's IP address. */
  hideIp: boolean;
  setHideIp: (hideIp: boolean) => void;
}

export interface ChatSlice {
  /** The lobby chat, oldest first (from LobbyChat; capped there). */
  chat: readonly ChatEntry[];
  setChat: (chat: readonly ChatEntry[]) => void;
}

export type AppState = ConnectionSlice &
  LobbySlice &
  BrowserSlice &
  NoticeSlice &
  PeersSlice &
  ChatSlice &
  PrivacySlice;

/** One store per mounted provider (never module-level: Next may render for many requests). */
export function createAppStore() {
  return createStore<AppState>()((set) => ({
    connection: 'connecting',
    setConnection: (connection) => set({ connection }),
    lobby: null,
    selfId: null,
    setLobby: (lobby, selfId) => set({ lobby, selfId }),
    publicLobbies: null,
    setPublicLobbies: (publicLobbies) => set({ publicLobbies }),
    notice: null,
    setNotice: (notice) => set({ notice }),
    peers: [],
    setPeers: (peers) => set({ peers }),
    hideIp: false,
    setHideIp: (hideIp) => set({ hideIp }),
    chat: [],
    setChat: (chat) => set({ chat }),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
