'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ERROR_MESSAGES, ErrorCode, LOBBY_CODE_ALPHABET, LOBBY_CODE_LENGTH } from '@/lib/protocol';
import { useAppStore, useAwaitClient } from '../LobbyProvider';
import { useHydrated } from '../useHydrated';
import { setArriving, useGoToLobby } from '../useLobbyNavigation';
import { useNickname } from '../useNickname';
import { focusNicknameField } from './NicknameField';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';

type FormError = ErrorCode | 'NICKNAME' | 'FORMAT';
const FORM_ERRORS = {
  NICKNAME: 'Choose a nickname first.',
  FORMAT: `A code is ${LOBBY_CODE_LENGTH} letters and digits (no 0, O, 1, I or L).`,
};
const CODE_RE = new RegExp(`^[${LOBBY_CODE_ALPHABET}]{${LOBBY_CODE_LENGTH}}$`);

export function JoinByCodeForm() {
  const awaitClient = useAwaitClient();
  const connected = useAppStore((s) => s.connection === 'connected');
  const hydrated = useHydrated();
  const [nickname] = useNickname();
  const goToLobby = useGoToLobby();
  const router = useRouter();
  const [code, setCode] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const normalized = code.replace(/\s+/g, '').toUpperCase();
    if (!nickname.trim()) {
      focusNicknameField();
      return setError('NICKNAME');
    }
    if (!CODE_RE.test(normalized)) return setError('FORMAT');
    setBusy(true);
    setError(null);
    setArriving(true);
    const client = await awaitClient();
    const result = await client.join({ nickname, code: normalized });
    setBusy(false);
    // The lobby's page asks for another name, with a suggestion (only public lobbies join by code).
    if (!result.ok && result.error === ErrorCode.NICKNAME_TAKEN) return router.push(`/lobby/${normalized}`);
    if (!result.ok) {
      setArriving(false);
      return setError(result.error);
    }
    goToLobby(result.data.lobby);
  }

  const message = error
    ? error in FORM_ERRORS
      ? FORM_ERRORS[error as keyof typeof FORM_ERRORS]
      : ERROR_MESSAGES[error as ErrorCode]
    : null;

  return (
    <Card title="Join with a code">
      <form onSubmit={submit} className="space-y-3" aria-label="Join with a code">
        <label htmlFor="lobbyCode" className="sr-only">
          Lobby code
        </label>
        <div className="flex gap-2">
          <input
            id="lobbyCode"
            name="code"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            placeholder="ABC234"
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            maxLength={LOBBY_CODE_LENGTH + 2}
            aria-invalid={error === 'FORMAT' || error === 'NOT_FOUND'}
            aria-describedby={message ? 'lobbyCodeError' : undefined}
            className="min-h-10 w-full min-w-0 rounded-lg bg-slate-950 px-3 py-2 font-mono text-lg tracking-[0.3em] text-white uppercase ring-1 ring-slate-700 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-400 focus:outline-none"
          />
          <Button type="submit" disabled={!hydrated || busy || code.trim().length === 0}>
            {busy ? (connected ? 'Joining…' : 'Connecting…') : 'Join'}
          </Button>
        </div>
        {message && <Alert id="lobbyCodeError">{message}</Alert>}
      </form>
    </Card>
  );
}
