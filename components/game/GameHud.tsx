'use client';

import { useEffect, useRef } from 'react';
import type { GameSummary } from '@/lib/game/session/GameSession';
import { ERROR_MESSAGES } from '@/lib/protocol';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { useLobbyAction } from '../hooks/useLobbyAction';

/** Names for SLOT_COLORS, in the same order: "your color" in words, not only as a swatch. */
const COLOR_NAMES = ['Red', 'Blue', 'Yellow', 'Green', 'Purple', 'Orange', 'Cyan', 'White'] as const;

function stateText(s: GameSummary): string {
  if (s.status === 'off') return '';
  if (s.status === 'waiting-host') return 'Waiting for the host…';
  if (s.role === 'watcher') return 'Watching';
  if (s.role === 'spectator' && s.phase !== 'matchOver') return 'Spectating · you play next round';
  switch (s.phase) {
    case 'countdown':
      return 'Get ready…';
    case 'play':
      return 'Push them out!';
    case 'roundOver':
      return 'Round over';
    case 'matchOver':
      return 'Match over';
    default:
      return '';
  }
}

/** One fixed-height line above the arena: your color, the round, what is happening (announced). */
export function GameStatusBar({ summary }: { summary: GameSummary }) {
  const slot = summary.selfSlot;
  return (
    <div className="flex h-10 items-center justify-between gap-3 text-sm" data-testid="game-status">
      <span className="flex min-w-0 items-center gap-2 text-slate-300">
        {slot !== null && summary.selfColor ? (
          <>
            <span
              className="inline-block size-4 shrink-0 rounded-full ring-2 ring-white/70"
              style={{ background: summary.selfColor }}
              aria-hidden
            />
            <span className="truncate">
              You are <strong className="text-white">{COLOR_NAMES[slot % COLOR_NAMES.length]}</strong>
            </span>
          </>
        ) : (
          <span className="text-slate-400">Ring Out</span>
        )}
      </span>
      {summary.status === 'live' && (
        <span className="shrink-0 rounded-lg bg-slate-800 px-2.5 py-1 font-semibold text-slate-100 tabular-nums">
          Round {summary.round}/{summary.roundsTotal}
        </span>
      )}
      <span className="min-w-0 truncate text-right font-medium text-sky-300" data-testid="game-state">
        {stateText(summary)}
      </span>
    </div>
  );
}

interface OverlayProps {
  summary: GameSummary;
  isLobbyHost: boolean;
  onRematch: () => void;
}

/** What sits on top of the canvas: the waiting notice, the spectator badge, the results screen. */
export function GameOverlay({ summary, isLobbyHost, onRematch }: OverlayProps) {
  if (summary.status === 'waiting-host')
    return (
      <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 text-slate-300">
        <div
          className="size-10 animate-spin rounded-full border-4 border-slate-700 border-t-sky-400"
          aria-hidden
        />
        <p>Waiting for the host’s game…</p>
      </div>
    );
  if (summary.status !== 'live') return null;
  if (summary.phase === 'matchOver')
    return <Results summary={summary} isLobbyHost={isLobbyHost} onRematch={onRematch} />;
  if (summary.role !== 'player')
    return (
      <p className="pointer-events-none absolute inset-x-0 bottom-3 mx-auto w-fit rounded-full bg-slate-900/85 px-4 py-1.5 text-sm font-medium text-amber-200 ring-1 ring-amber-300/30">
        {summary.role === 'spectator'
          ? 'Spectating — you join at the next round'
          : 'Watching — the game is full'}
      </p>
    );
  return null;
}

function Results({ summary, isLobbyHost, onRematch }: OverlayProps) {
  const { run, busy, error } = useLobbyAction();
  const names = summary.winners.map(
    (slot) => summary.scoreboard.find((l) => l.slot === slot)?.nickname ?? '?',
  );
  const title =
    names.length === 0
      ? 'Match over'
      : names.length === 1
        ? `${names[0]} wins!`
        : `${names.join(' & ')} share the win!`;
  const heading = useRef<HTMLHeadingElement>(null);
  // The results screen takes focus when it appears: Rematch is one Tab away.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div
      className="absolute inset-0 flex items-center justify-center overflow-auto bg-slate-950/70 p-3 backdrop-blur-sm"
      data-testid="game-results"
    >
      <div className="w-full max-w-sm space-y-3 rounded-2xl bg-slate-900/95 p-4 ring-1 ring-slate-700">
        <p className="text-xs font-semibold tracking-wider text-indigo-300 uppercase">Final standings</p>
        <h2
          ref={heading}
          tabIndex={-1}
          className="truncate text-2xl font-extrabold text-white focus:outline-none"
        >
          {title}
        </h2>
        <ol className="space-y-1 text-sm">
          {summary.scoreboard.map((line, i) => (
            <li
              key={line.slot}
              className={`flex items-center gap-2 rounded-lg px-2 py-1 ${line.isSelf ? 'bg-slate-800' : ''}`}
            >
              <span className="w-5 text-slate-400 tabular-nums">{i + 1}.</span>
              <span className="size-3 shrink-0 rounded-full" style={{ background: line.color }} aria-hidden />
              <span className="min-w-0 flex-1 truncate text-slate-100">
                {line.nickname}
                {line.isSelf && <span className="text-slate-400"> (you)</span>}
              </span>
              <span className="text-slate-400 tabular-nums" title="Knock-outs · rounds won">
                {line.knockouts} KO · {line.roundWins} W
              </span>
              <span className="w-12 text-right font-bold text-white tabular-nums">
                {line.score} {line.score === 1 ? 'pt' : 'pts'}
              </span>
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap gap-2">
          {summary.role !== 'watcher' && (
            <Button className="flex-1" onClick={onRematch}>
              Rematch
            </Button>
          )}
          {isLobbyHost && (
            <Button
              variant="secondary"
              className="flex-1"
              disabled={busy}
              onClick={() => run((c) => c.endGame())}
            >
              Back to lobby
            </Button>
          )}
        </div>
        {error && <Alert>{ERROR_MESSAGES[error]}</Alert>}
      </div>
    </div>
  );
}

/** The standings in one short row, for stages too narrow to show them beside the ring. Decorative: ScoreboardList says it all. */
export function ScoreChips({ summary, className }: { summary: GameSummary; className: string }) {
  return (
    <ul
      aria-hidden
      className={`flex flex-wrap gap-x-4 overflow-hidden text-sm leading-7 ${className}`}
      data-testid="game-score-chips"
    >
      {summary.scoreboard.map((line) => (
        <li key={line.slot} className="flex min-w-0 items-center gap-1.5">
          <span className="size-2.5 shrink-0 rounded-full" style={{ background: line.color }} />
          <span
            className={`max-w-[9rem] truncate ${line.isSelf ? 'font-semibold text-white' : 'text-slate-300'}`}
          >
            {line.nickname}
          </span>
          <span className="font-semibold text-white tabular-nums">{line.score}</span>
        </li>
      ))}
    </ul>
  );
}

/** The standings as text for screen readers (and a stable hook for tests). */
export function ScoreboardList({ summary }: { summary: GameSummary }) {
  return (
    <ol className="sr-only" aria-label="Scoreboard" data-testid="game-scoreboard">
      {summary.scoreboard.map((line) => (
        <li key={line.slot} data-slot={line.slot} data-score={line.score}>
          {`${line.nickname}${line.isSelf ? ' (you)' : ''}: ${line.score} points, ${line.knockouts} knock-outs, ${line.roundWins} rounds won`}
        </li>
      ))}
    </ol>
  );
}
