import type { LobbyChat } from '../client/chat/LobbyChat';
import type { LobbyClient } from '../client/LobbyClient';
import type { Mesh } from '../client/mesh/Mesh';
import type { AppStore } from './appStore';

// The app's side of the SDK: its zustand store subscribes to the client, the mesh and the chat (the SDK
// itself knows no store).

/** Feeds a LobbyClient's events into the store; returns the remover of all subscriptions. */
export function bindClientToStore(client: LobbyClient, store: AppStore): () => void {
  const s = store.getState();
  s.setConnection(client.connectionStatus);
  const removers = [
    client.on('status', (status) => s.setConnection(status)),
    client.on('lobby', (lobby, selfId) => s.setLobby(lobby, selfId)),
    client.on('browser', (rows) => s.setPublicLobbies(rows)),
    client.on('removed', (reason) => s.setNotice({ kind: 'removed', reason })),
  ];
  return () => removers.forEach((remove) => remove());
}

/** Feeds the Mesh's throttled per-peer snapshots into the store. */
export function bindMeshToStore(mesh: Mesh, store: AppStore): () => void {
  const s = store.getState();
  const off = mesh.on('peers', (rows) => s.setPeers(rows));
  return () => {
    off();
    s.setPeers([]);
  };
}

/** Feeds the lobby chat into the store. */
export function bindChatToStore(chat: LobbyChat, store: AppStore): () => void {
  const s = store.getState();
  s.setChat(chat.messages);
  const off = chat.on('messages', (entries) => s.setChat(entries));
  return () => {
    off();
    s.setChat([]);
  };
}
