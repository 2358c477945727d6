'use client';

import { useState, type FormEvent } from 'react';
import {
  ERROR_MESSAGES,
  MAX_LOBBY_NAME_CHARS,
  MAX_LOBBY_SIZE,
  type LobbyView,
  type Visibility,
} from '@/lib/protocol';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';
import { useLobbyAction } from '../hooks/useLobbyAction';

/** Host-only: lock and settings. The server re-checks host rights on every one of these. */
export function HostSettings({ lobby }: { lobby: LobbyView }) {
  const { run, error, busy } = useLobbyAction();
  const [name, setName] = useState(lobby.name);
  const [maxPlayers, setMaxPlayers] = useState(lobby.maxPlayers);
  const [visibility, setVisibility] = useState<Visibility>(lobby.visibility);
  const [saved, setSaved] = useState(false);
  const dirty = name !== lobby.name || maxPlayers !== lobby.maxPlayers || visibility !== lobby.visibility;
  const sizes = Array.from(
    { length: MAX_LOBBY_SIZE - lobby.members.length + 1 },
    (_, i) => i + Math.max(2, lobby.members.length),
  ).filter((n) => n <= MAX_LOBBY_SIZE);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaved(await run((c) => c.updateSettings({ name, maxPlayers, visibility })));
  }

  return (
    <Card title="Host controls">
      <div className="mb-4 flex items-center justify-between gap-3 rounded-lg bg-slate-950/60 px-3 py-2 ring-1 ring-slate-800">
        <div>
          <p className="text-sm font-semibold text-white">{lobby.locked ? 'Lobby locked' : 'Lobby open'}</p>
          <p className="text-xs text-slate-400">
            {lobby.locked ? 'Nobody new can join.' : 'Anyone with access can join.'}
          </p>
        </div>
        <Button variant="secondary" disabled={busy} onClick={() => run((c) => c.setLocked(!lobby.locked))}>
          {lobby.locked ? 'Unlock' : 'Lock'}
        </Button>
      </div>
      <form onSubmit={save} className="space-y-3" aria-label="Lobby settings">
        <TextField
          label="Lobby name"
          value={name}
          maxLength={MAX_LOBBY_NAME_CHARS}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <div className="grid grid-cols-2 gap-3">
          <SelectField
            label="Max players"
            value={maxPlayers}
            onValue={setMaxPlayers}
            options={sizes.map((n) => ({ value: n, label: String(n) }))}
          />
          <SelectField
            label="Visibility"
            value={visibility}
            onValue={setVisibility}
            options={[
              { value: 'public', label: 'Public' },
              { value: 'private', label: 'Private' },
            ]}
          />
        </div>
        {error && <Alert>{ERROR_MESSAGES[error]}</Alert>}
        <div className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={!dirty || busy}>
            Save settings
          </Button>
          <span aria-live="polite" className="text-xs text-emerald-300">
            {saved && !dirty ? 'Saved' : ''}
          </span>
        </div>
      </form>
    </Card>
  );
}
