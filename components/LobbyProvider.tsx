'use client';

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { bindClientToStore } from '@/lib/client/bindStore';
import { LobbyClient } from '@/lib/client/LobbyClient';
import { createAppStore, type AppState, type AppStore } from '@/lib/store/appStore';

interface Ctx {
  store: AppStore;
  client: LobbyClient | null;
}

const LobbyContext = createContext<Ctx | null>(null);

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

  useEffect(() => {
    const next = new LobbyClient({
      storage: webStorage(() => window.localStorage),
      sessionStorage: webStorage(() => window.sessionStorage),
    });
    const unbind = bindClientToStore(next, store);
    // The client is an external resource made in this effect; publishing it is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setClient(next);
    return () => {
      unbind();
      next.close();
      setClient(null);
    };
  }, [store]);

  return <LobbyContext.Provider value={{ store, client }}>{children}</LobbyContext.Provider>;
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
