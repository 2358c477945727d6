'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import type { LobbyView } from '@/lib/protocol';

/** The address of a lobby page; private lobbies carry their invite so a reload still works. */
export function lobbyPath(lobby: Pick<LobbyView, 'code' | 'visibility' | 'inviteToken'>) {
  return lobby.visibility === 'private' ? `/lobby/${lobby.code}#invite=${lobby.inviteToken}` : `/lobby/${lobby.code}`;
}

export function useGoToLobby() {
  const router = useRouter();
  return useCallback((lobby: LobbyView) => router.push(lobbyPath(lobby)), [router]);
}
