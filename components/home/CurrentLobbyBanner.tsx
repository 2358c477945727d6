'use client';

import Link from 'next/link';
import { useAppStore, useLobbyClient } from '../LobbyProvider';
import { isArriving, lobbyPath } from '../useLobbyNavigation';
import { Button } from '../ui/Button';

/** Going back to the home page does not leave a lobby; this says so and offers both ways. */
export function CurrentLobbyBanner() {
  const lobby = useAppStore((s) => s.lobby);
  const client = useLobbyClient();
  if (!lobby || isArriving()) return null;
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-3 rounded-xl bg-indigo-500/15 px-4 py-3 ring-1 ring-indigo-400/40"
    >
      <p className="min-w-0 flex-1 text-sm text-indigo-100">
        You are still in <span className="font-semibold">{lobby.name}</span>.
      </p>
      <Link
        href={lobbyPath(lobby)}
        className="rounded-lg bg-indigo-500 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-400"
      >
        Back to lobby
      </Link>
      <Button variant="ghost" onClick={() => void client?.leave()}>
        Leave
      </Button>
    </div>
  );
}
