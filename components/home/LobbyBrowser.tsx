'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ERROR_MESSAGES, ErrorCode, type LobbySummary } from '@/lib/protocol';
import { useAppStore, useLobbyClient } from '../LobbyProvider';
import { setArriving, useGoToLobby } from '../useLobbyNavigation';
import { useNickname } from '../useNickname';
import { focusNicknameField } from './NicknameField';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';

const STATUS_LOOK: Record<LobbySummary['status'], { label: string; chip: string }> = {
  open: { label: 'Open', chip: 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/30' },
  full: { label: 'Full', chip: 'bg-slate-500/15 text-slate-300 ring-slate-500/30' },
  locked: { label: 'Locked', chip: 'bg-amber-500/15 text-amber-300 ring-amber-500/30' },
  'in-game': { label: 'In game', chip: 'bg-sky-500/15 text-sky-300 ring-sky-500/30' },
};

/** Public lobbies, pushed by the server whenever one changes. Private lobbies never appear here (the server never lists them). */
export function LobbyBrowser() {
  const client = useLobbyClient();
  const lobbies = useAppStore((s) => s.publicLobbies);
  const connection = useAppStore((s) => s.connection);
  const [nickname] = useNickname();
  const goToLobby = useGoToLobby();
  const router = useRouter();
  const [error, setError] = useState<ErrorCode | 'NICKNAME' | null>(null);
  const [joining, setJoining] = useState<string | null>(null);

  useEffect(() => {
    if (!client) return;
    void client.watchBrowser(true);
    return () => void client.watchBrowser(false);
  }, [client]);

  async function join(code: string) {
    if (!client) return;
    if (!nickname.trim()) {
      focusNicknameField();
      return setError('NICKNAME');
    }
    setJoining(code);
    setError(null);
    setArriving(true);
    const result = await client.join({ nickname, code });
    setJoining(null);
    // The lobby's page asks for another name, with a suggestion (only public lobbies join by code).
    if (!result.ok && result.error === ErrorCode.NICKNAME_TAKEN) return router.push(`/lobby/${code}`);
    if (!result.ok) {
      setArriving(false);
      return setError(result.error);
    }
    goToLobby(result.data.lobby);
  }

  return (
    <Card title="Public lobbies" actions={<span className="text-xs text-slate-400">Updates by itself</span>}>
      {error && (
        <div className="mb-3">
          <Alert>{error === 'NICKNAME' ? 'Choose a nickname first.' : ERROR_MESSAGES[error]}</Alert>
        </div>
      )}
      {lobbies === null ? (
        <ul aria-busy="true" aria-label="Loading lobbies" className="space-y-2">
          {[0, 1, 2].map((i) => (
            <li key={i} className="h-16 animate-pulse rounded-xl bg-slate-800/60" />
          ))}
          <span className="sr-only">{connection === 'connected' ? 'Loading…' : 'Connecting…'}</span>
        </ul>
      ) : lobbies.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-700 px-4 py-8 text-center text-sm text-slate-400">
          No public lobbies right now. Create one and invite your friends!
        </p>
      ) : (
        <ul className="space-y-2" aria-label="Public lobbies">
          {lobbies.map((l) => {
            const look = STATUS_LOOK[l.status];
            return (
              <li
                key={l.code}
                data-lobby-code={l.code}
                className="flex items-center gap-3 rounded-xl bg-slate-950/60 px-3 py-2.5 ring-1 ring-slate-800"
              >
                <div className="min-w-0 flex-1">
                  <p className="truncate font-semibold text-white">{l.name}</p>
                  <p className="truncate text-xs text-slate-400">
                    Host: {l.hostName} · <span className="font-mono">{l.code}</span>
                  </p>
                </div>
                <span
                  className="shrink-0 text-sm text-slate-300 tabular-nums"
                  aria-label={`${l.players} of ${l.maxPlayers} players`}
                >
                  {l.players}/{l.maxPlayers}
                </span>
                <span
                  className={`hidden shrink-0 rounded-full px-2 py-0.5 text-xs ring-1 sm:inline ${look.chip}`}
                >
                  {look.label}
                </span>
                <Button
                  variant="secondary"
                  className="shrink-0"
                  disabled={l.status !== 'open' || joining !== null}
                  onClick={() => join(l.code)}
                  aria-label={l.status === 'open' ? `Join ${l.name}` : `${look.label}: ${l.name}`}
                >
                  {joining === l.code ? 'Joining…' : l.status === 'open' ? 'Join' : look.label}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
