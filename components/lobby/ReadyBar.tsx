'use client';

import { ERROR_MESSAGES, type LobbyView } from '@/lib/protocol';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { useLobbyAction } from '../hooks/useLobbyAction';

/** Ready toggle for players; start/end for the host; leave for everyone. */
export function ReadyBar({
  lobby,
  selfId,
  onLeave,
}: {
  lobby: LobbyView;
  selfId: string;
  onLeave: () => void;
}) {
  const { run, error, busy } = useLobbyAction();
  const me = lobby.members.find((m) => m.id === selfId);
  const isHost = lobby.hostId === selfId;
  const others = lobby.members.filter((m) => m.id !== lobby.hostId);
  const waitingFor = others.filter((m) => !m.ready).length;
  const canStart = lobby.phase === 'waiting' && others.length > 0 && waitingFor === 0;

  const hint =
    lobby.phase === 'in-game'
      ? 'The game is on.'
      : others.length === 0
        ? 'Waiting for players to join…'
        : waitingFor > 0
          ? `Waiting for ${waitingFor} player${waitingFor === 1 ? '' : 's'} to get ready.`
          : isHost
            ? 'Everyone is ready!'
            : 'Everyone is ready. Waiting for the host to start.';

  return (
    <div className="space-y-3 rounded-2xl bg-slate-900/80 p-4 ring-1 ring-slate-800">
      <p
        id="lobbyHint"
        className="min-h-10 text-sm text-slate-300 sm:min-h-5"
        aria-live="polite"
        data-testid="lobby-hint"
      >
        {hint}
      </p>
      <div className="flex flex-wrap gap-2">
        {lobby.phase === 'waiting' && isHost && (
          // Focusable while it cannot start yet (aria-disabled, not disabled): the first Tab in the lobby
          // reaches it, and the hint says what it waits for.
          <Button
            aria-disabled={!canStart || busy}
            aria-describedby="lobbyHint"
            onClick={() => canStart && !busy && run((c) => c.start())}
          >
            Start game
          </Button>
        )}
        {lobby.phase === 'waiting' && !isHost && me && (
          <Button
            variant={me.ready ? 'secondary' : 'primary'}
            aria-pressed={me.ready}
            disabled={busy}
            onClick={() => run((c) => c.setReady(!me.ready))}
          >
            {me.ready ? 'Not ready' : 'I’m ready'}
          </Button>
        )}
        {lobby.phase === 'in-game' && isHost && (
          <Button variant="secondary" disabled={busy} onClick={() => run((c) => c.endGame())}>
            End game
          </Button>
        )}
        <Button variant="ghost" onClick={onLeave} className="ml-auto">
          Leave lobby
        </Button>
      </div>
      {error && <Alert>{ERROR_MESSAGES[error]}</Alert>}
    </div>
  );
}
