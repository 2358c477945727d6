'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { bindChatToStore, bindClientToStore, bindMeshToStore } from '@/lib/client/bindStore';
import { LobbyChat, type ChatCarryOver } from '@/lib/client/chat';
import { Mesh } from '@/lib/client/mesh';
import { debugFilterCandidate, debugRestartIceHook } from '@/lib/client/debugSwitches';
import { LobbyClient } from '@/lib/client/LobbyClient';
import { topicChannel } from '@/lib/client/topics';
import { createAppStore, type AppState, type AppStore } from '@/lib/store/appStore';

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

/** Web Storage that never throws (private mode, disabled storage): the value is simply not kept. */
const webStorage = (pick: () => Storage) => ({
  get: (key: string) => {
    try {
      return pick().getItem(key);
    } catch {
      return null;
    }
  },
  set: (key: string, value: string) => {
    try {
      if (value) pick().setItem(key, value);
      else pick().removeItem(key);
    } catch {
      // Not kept.
    }
  },
});

/**
 * The one place React touches the transport: creates the LobbyClient in an effect and disposes it
 * in the cleanup (Strict Mode's double effect creates, closes and creates again, which is fine).
 */
export function LobbyProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createAppStore);
  const [client, setClient] = useState<LobbyClient | null>(null);
  const [session, setSession] = useState<{ mesh: Mesh; chat: LobbyChat } | null>(null);
  const hideIp = useStore(store, (s) => s.hideIp);
  const lastChat = useRef<ChatCarryOver | null>(null);
  // The client is made in an effect, which runs a moment after hydration: a click in between is kept
  // and carried out with the client once it exists (the forms are usable as soon as they are hydrated).
  const current = useRef<LobbyClient | null>(null);
  const waiting = useRef<((client: LobbyClient) => void)[]>([]);
  const [awaitClient] = useState(
    () => () => (current.current ? Promise.resolve(current.current) : new Promise<LobbyClient>((resolve) => waiting.current.push(resolve))),
  );

  useEffect(() => {
    const local = webStorage(() => window.localStorage);
    const next = new LobbyClient({ storage: local, sessionStorage: webStorage(() => window.sessionStorage) });
    store.getState().setHideIp(local.get(HIDE_IP_KEY) === '1');
    const unbind = [
      bindClientToStore(next, store),
      store.subscribe((s, prev) => s.hideIp !== prev.hideIp && local.set(HIDE_IP_KEY, s.hideIp ? '1' : '')),
    ];
    // The client is an external resource made in this effect; publishing it is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setClient(next);
    current.current = next;
    for (const resolve of waiting.current.splice(0)) resolve(next);
    return () => {
      current.current = null;
      unbind.forEach((off) => off());
      next.close();
      setClient(null);
    };
  }, [store]);

  // The Mesh follows the client's lobby by itself (links to every present member), and the chat
  // rides on it. A new privacy setting makes a new Mesh: every link is rebuilt with the new ICE
  // policy and streams restart cleanly; the chat log shown so far carries over to the new chat.
  useEffect(() => {
    if (!client) return;
    const next = new Mesh({
      signaling: client,
      RTCPeerConnection: window.RTCPeerConnection,
      rtcConfig: () => ({ iceTransportPolicy: hideIp ? 'relay' : 'all' }),
      filterCandidate: debugFilterCandidate(client),
    });
    const chat = new LobbyChat({ channel: topicChannel(next, 'chat'), lobby: client, peers: next, carryOver: lastChat.current });
    const unbind = [bindMeshToStore(next, store), bindChatToStore(chat, store), debugRestartIceHook(client, next)];
    setSession({ mesh: next, chat });
    return () => {
      lastChat.current = chat.carryOver();
      unbind.forEach((off) => off());
      chat.close();
      next.close();
      setSession(null);
    };
  }, [client, hideIp, store]);

  return (
    <LobbyContext.Provider value={{ store, client, awaitClient, mesh: session?.mesh ?? null, chat: session?.chat ?? null }}>
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
