'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { LobbyChat, type ChatCarryOver } from '@/lib/client/chat';
import type { Mesh } from '@/lib/client/mesh';
import { debugFilterCandidate, debugRestartIceHook } from '@/lib/client/debugSwitches';
import type { LobbyClient } from '@/lib/client/LobbyClient';
import { webStorage } from '@/lib/client/storage';
import { topicChannel } from '@/lib/client/topics';
import { usePeerLobby } from '@/lib/react/usePeerLobby';
import { createAppStore, type AppState, type AppStore } from '@/lib/store/appStore';
import { bindChatToStore, bindClientToStore, bindMeshToStore } from '@/lib/store/bindings';

interface Ctx {
  store: AppStore;
  client: LobbyClient | null;
  /** Resolves with the client as soon as it exists (a form used right after hydration waits here). */
  awaitClient: () => Promise<LobbyClient>;
  mesh: Mesh | null;
  chat: LobbyChat | null;
}

const LobbyContext = createContext<Ctx | null>(null);

const HIDE_IP_KEY = 'peerlobby.hideIp';

/**
 * The one place React touches the transport: the SDK's usePeerLobby makes the LobbyClient and its Mesh
 * (which follows the client's lobby by itself) in one effect and closes both in its cleanup; here the
 * store subscribes to them and the chat rides on the mesh. A new privacy setting rebuilds every link
 * with the new ICE policy (`reconnectAll`), the client and its seat untouched.
 */
export function LobbyProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createAppStore);
  const [chat, setChat] = useState<LobbyChat | null>(null);
  const lastChat = useRef<ChatCarryOver | null>(null);
  // The client is made in an effect, which runs a moment after hydration: a click in between is kept
  // and carried out with the client once it exists (the forms are usable as soon as they are hydrated).
  const current = useRef<LobbyClient | null>(null);
  const waiting = useRef<((client: LobbyClient) => void)[]>([]);
  const [awaitClient] = useState(
    () => () =>
      current.current
        ? Promise.resolve(current.current)
        : new Promise<LobbyClient>((resolve) => waiting.current.push(resolve)),
  );
  const connection = usePeerLobby(
    {
      client: {
        storage: webStorage(() => window.localStorage),
        sessionStorage: webStorage(() => window.sessionStorage),
      },
      mesh: (client) => ({
        RTCPeerConnection: window.RTCPeerConnection,
        rtcConfig: () => ({ iceTransportPolicy: store.getState().hideIp ? 'relay' : 'all' }),
        filterCandidate: debugFilterCandidate(client),
      }),
    },
    [store],
  );

  useEffect(() => {
    if (!connection) return;
    const { client, mesh } = connection;
    const local = webStorage(() => window.localStorage);
    // Before any socket event (this runs in the commit that made the pair): the first links read it.
    store.getState().setHideIp(local.get(HIDE_IP_KEY) === '1');
    const chat = new LobbyChat({
      channel: topicChannel(mesh, 'chat'),
      lobby: client,
      peers: mesh,
      carryOver: lastChat.current,
    });
    const unbind = [
      bindClientToStore(client, store),
      bindMeshToStore(mesh, store),
      bindChatToStore(chat, store),
      debugRestartIceHook(client, mesh),
      store.subscribe((s, prev) => {
        if (s.hideIp === prev.hideIp) return;
        local.set(HIDE_IP_KEY, s.hideIp ? '1' : '');
        mesh.reconnectAll();
      }),
    ];
    // Made in this effect, on the pair it rides on.
    setChat(chat);
    current.current = client;
    for (const resolve of waiting.current.splice(0)) resolve(client);
    return () => {
      current.current = null;
      lastChat.current = chat.carryOver();
      unbind.forEach((off) => off());
      chat.close();
      setChat(null);
    };
  }, [connection, store]);

  return (
    <LobbyContext.Provider
      value={{ store, client: connection?.client ?? null, awaitClient, mesh: connection?.mesh ?? null, chat }}
    >
      {children}
    </LobbyContext.Provider>
  );
}

function useCtx() {
  const ctx = useContext(LobbyContext);
  if (!ctx) throw new Error('LobbyProvider is missing above this component');
  return ctx;
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useCtx().store, selector);
}

/** The client, or null during the first render (before the effect ran). */
export function useLobbyClient(): LobbyClient | null {
  return useCtx().client;
}

/** The client now, or as soon as it exists (for actions taken right after hydration). */
export function useAwaitClient(): () => Promise<LobbyClient> {
  return useCtx().awaitClient;
}

/** The peer-to-peer mesh of the current lobby, or null before the first effect. */
export function useMesh(): Mesh | null {
  return useCtx().mesh;
}

/** The lobby chat (peer to peer over the mesh), or null before the first effect. */
export function useChat(): LobbyChat | null {
  return useCtx().chat;
}
