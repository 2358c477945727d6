'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import type { LobbyView } from '@/lib/protocol';

/** The address of a lobby page; private lobbies carry their invite so a reload still works. */
export function lobbyPath(lobby: Pick<LobbyView, 'code' | 'visibility' | 'inviteToken'>) {
  return lobby.visibility === 'private'
    ? `/lobby/${lobby.code}#invite=${lobby.inviteToken}`
    : `/lobby/${lobby.code}`;
}

export function useGoToLobby() {
  const router = useRouter();
  return useCallback((lobby: LobbyView) => router.push(lobbyPath(lobby)), [router]);
}

/**
 * True from the moment this tab asks to create or join a lobby until the lobby page opens: the home
 * page's "You are still in …" banner must not flash up (and push the page down) for a lobby the
 * player is on the way to.
 */
let arriving = false;
export function setArriving(value: boolean) {
  arriving = value;
}
export const isArriving = () => arriving;
