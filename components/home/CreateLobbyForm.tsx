'use client';

import { useState, type FormEvent } from 'react';
import {
  DEFAULT_LOBBY_SIZE,
  ERROR_MESSAGES,
  MAX_LOBBY_NAME_CHARS,
  MAX_LOBBY_SIZE,
  MIN_LOBBY_SIZE,
  type ErrorCode,
  type Visibility,
} from '@/lib/protocol';
import { useAppStore, useAwaitClient } from '../LobbyProvider';
import { useHydrated } from '../useHydrated';
import { setArriving, useGoToLobby } from '../useLobbyNavigation';
import { useNickname } from '../useNickname';
import { focusNicknameField } from './NicknameField';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';

const SIZES = Array.from({ length: MAX_LOBBY_SIZE - MIN_LOBBY_SIZE + 1 }, (_, i) => i + MIN_LOBBY_SIZE);

export function CreateLobbyForm() {
  const awaitClient = useAwaitClient();
  const connected = useAppStore((s) => s.connection === 'connected');
  // Usable as soon as it is hydrated: the request waits for the socket (socket.io sends it on connect)
  // and the button says so meanwhile.
  const hydrated = useHydrated();
  const [nickname] = useNickname();
  const goToLobby = useGoToLobby();
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [maxPlayers, setMaxPlayers] = useState(DEFAULT_LOBBY_SIZE);
  const [error, setError] = useState<ErrorCode | 'NICKNAME' | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!nickname.trim()) {
      focusNicknameField();
      return setError('NICKNAME');
    }
    setBusy(true);
    setError(null);
    const lobbyName = name.trim() || `${nickname.trim()}’s lobby`;
    setArriving(true);
    const client = await awaitClient();
    const result = await client.create({ nickname, name: lobbyName, visibility, maxPlayers });
    setBusy(false);
    if (!result.ok) {
      setArriving(false);
      return setError(result.error);
    }
    goToLobby(result.data.lobby);
  }

  return (
    <Card title="Create a lobby">
      <form onSubmit={submit} className="space-y-4" aria-label="Create a lobby">
        <TextField
          label="Lobby name"
          name="lobbyName"
          placeholder={nickname ? `${nickname}’s lobby` : 'My lobby'}
          maxLength={MAX_LOBBY_NAME_CHARS}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-300">Who can join</legend>
          <div className="grid grid-cols-2 gap-2">
            {(['public', 'private'] as const).map((v) => (
              <label
                key={v}
                className="flex cursor-pointer flex-col rounded-lg p-3 ring-1 ring-slate-700 has-checked:bg-indigo-500/15 has-checked:ring-2 has-checked:ring-indigo-400 has-focus-visible:outline-2 has-focus-visible:outline-amber-300"
              >
                <span className="flex items-center gap-2 text-sm font-semibold text-white">
                  <input
                    type="radio"
                    name="visibility"
                    value={v}
                    checked={visibility === v}
                    onChange={() => setVisibility(v)}
                    className="accent-indigo-400"
                  />
                  {v === 'public' ? 'Public' : 'Private'}
                </span>
                <span className="mt-1 text-xs text-slate-400">
                  {v === 'public' ? 'Listed, joinable by code' : 'Invite link only'}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <SelectField
          label="Max players"
          value={maxPlayers}
          onValue={setMaxPlayers}
          options={SIZES.map((n) => ({ value: n, label: `${n} players` }))}
        />
        {error && <Alert>{error === 'NICKNAME' ? 'Choose a nickname first.' : ERROR_MESSAGES[error]}</Alert>}
        <Button type="submit" className="w-full" disabled={!hydrated || busy}>
          {busy ? (connected ? 'Creating…' : 'Connecting…') : 'Create lobby'}
        </Button>
      </form>
    </Card>
  );
}
