'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import { debugRoundsPerMatch } from '@/lib/client/game/debugGame';
import { GameSession } from '@/lib/game/session/GameSession';
import { meshGameTransport } from '@/lib/client/game/meshTransport';
import { topicChannel } from '@/lib/client/topics';
import { withLoopback } from '@/lib/game';
import { workerScheduler } from '@/lib/client/game/workerScheduler';
import type { LobbyView } from '@/lib/protocol';
import { useLobbyClient, useMesh } from '../LobbyProvider';
import { GameAnnouncer } from './announce';
import { LocalControls } from './controls';
import { GameCanvas } from './GameCanvas';
import { GameOverlay, GameStatusBar, ScoreboardList, ScoreChips } from './GameHud';
import { TouchControls } from './TouchControls';

const coarsePointer = () => window.matchMedia('(pointer: coarse)').matches;
function subscribePointer(fn: () => void) {
  const query = window.matchMedia('(pointer: coarse)');
  query.addEventListener('change', fn);
  return () => query.removeEventListener('change', fn);
}

/** The stage keeps its size whatever is inside: no layout jump when the game arrives. */
/** Below lg the canvas leaves its scoreboard out (it would cover the ring): a row under the stage shows it. */
const SCORE_ROW = 'h-7 lg:hidden';

const STAGE =
  'relative w-full overflow-hidden rounded-2xl bg-[#05070d] ring-1 ring-slate-800 aspect-square max-h-[70dvh] sm:aspect-[16/10]';

/**
 * The lobby's game. The one place React touches the game: one effect creates the controls and the
 * GameSession (which decides host, client and authority moves) and disposes both in its cleanup.
 */
export function GamePanel({ lobby, selfId }: { lobby: LobbyView; selfId: string }) {
  const mesh = useMesh();
  const client = useLobbyClient();
  const [game, setGame] = useState<{
    session: GameSession;
    controls: LocalControls;
    announcer: GameAnnouncer;
  } | null>(null);
  const touch = useSyncExternalStore(subscribePointer, coarsePointer, () => false);

  useEffect(() => {
    // withLoopback keeps the self id it is made with: wait until the mesh knows who we are.
    if (!mesh || !client || mesh.selfId !== selfId) return;
    const controls = new LocalControls();
    const session = new GameSession({
      lobby: client,
      transport: withLoopback(meshGameTransport(topicChannel(mesh, 'game'))),
      scheduler: workerScheduler(),
      readInput: controls.sample,
      roundsTotal: debugRoundsPerMatch(),
    });
    // An input edge leaves at once, not at the next tick.
    controls.onEdge = () => session.inputChanged();
    const detachKeyboard = controls.attachKeyboard(window, () => session.store.getState().status !== 'off');
    session.start();
    // The session is an external resource made in this effect; publishing it is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setGame({ session, controls, announcer: new GameAnnouncer() });
    return () => {
      detachKeyboard();
      session.close();
      setGame(null);
    };
  }, [mesh, client, selfId]);

  const section = useRef<HTMLElement>(null);
  const startedNow = lobby.phase === 'in-game';
  useEffect(() => {
    // A player who scrolled down (to press "I'm ready", to chat) gets the game brought into view when it starts.
    const el = section.current;
    if (!startedNow || !el) return;
    const { top, bottom } = el.getBoundingClientRect();
    if (top >= 0 && bottom <= window.innerHeight) return;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    el.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }, [startedNow]);

  // Mounted for the whole lobby visit (the session must see a match start, not only a running one),
  // and always the same size: while the lobby waits, the stage explains the game, so nothing below
  // moves when it starts.
  const inGame = lobby.phase === 'in-game';
  return (
    <section
      ref={section}
      aria-label="Ring Out"
      className="space-y-2"
      data-testid={inGame ? 'game' : 'game-idle'}
    >
      {inGame && game ? (
        <GameView
          session={game.session}
          controls={game.controls}
          announcer={game.announcer}
          touch={touch}
          isLobbyHost={lobby.hostId === selfId}
        />
      ) : (
        <>
          <p className="flex h-10 items-center text-sm font-semibold text-slate-300">Ring Out</p>
          <div className={STAGE}>
            <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 p-6 text-center">
              <p className="text-xl font-bold text-white">{inGame ? 'Starting…' : 'Ring Out'}</p>
              <p className="max-w-sm text-sm text-slate-300">
                Push everyone out of the shrinking ring; the last one standing wins the round. The game starts
                here when everyone is ready and the host presses Start.
              </p>
            </div>
          </div>
          <ControlsArea touch={touch} />
          <div className={SCORE_ROW} />
        </>
      )}
    </section>
  );
}

function GameView({
  session,
  controls,
  announcer,
  touch,
  isLobbyHost,
}: {
  session: GameSession;
  controls: LocalControls;
  announcer: GameAnnouncer;
  touch: boolean;
  isLobbyHost: boolean;
}) {
  const summary = useStore(session.store);
  const said = useSyncExternalStore(announcer.subscribe, announcer.current, () => '');
  return (
    <>
      <GameStatusBar summary={summary} />
      <div
        className={STAGE}
        data-testid="game-stage"
        data-status={summary.status}
        data-phase={summary.phase ?? ''}
        data-round={summary.round}
        data-self-slot={summary.selfSlot ?? ''}
        data-role={summary.role}
        data-authority={summary.authorityId ?? ''}
      >
        <GameCanvas session={session} announcer={announcer} label={canvasLabel(summary.phase)} />
        <GameOverlay summary={summary} isLobbyHost={isLobbyHost} onRematch={() => session.requestRematch()} />
      </div>
      <ControlsArea touch={touch} controls={controls} />
      <ScoreChips summary={summary} className={SCORE_ROW} />
      <ScoreboardList summary={summary} />
      {/* What the canvas shows as it happens, in words: countdown, knock-outs, winners. */}
      <p role="status" aria-live="polite" className="sr-only" data-testid="game-announcer">
        {said}
      </p>
    </>
  );
}

function ControlsArea({ touch, controls }: { touch: boolean; controls?: LocalControls }) {
  if (touch) return controls ? <TouchControls controls={controls} /> : <div className="h-32" />;
  return (
    <p className="h-6 truncate text-center text-sm text-slate-400">
      Move <Kbd>W</Kbd>
      <Kbd>A</Kbd>
      <Kbd>S</Kbd>
      <Kbd>D</Kbd> or arrow keys · Dash <Kbd>Space</Kbd>
      {/* One line on phones too: the row's height is fixed. */}
      <span className="hidden sm:inline"> · Push everyone out of the ring</span>
    </p>
  );
}

function Kbd({ children }: { children: string }) {
  return (
    <kbd className="mx-0.5 rounded bg-slate-800 px-1.5 py-0.5 font-mono text-xs text-slate-200 ring-1 ring-slate-700">
      {children}
    </kbd>
  );
}

function canvasLabel(phase: string | null): string {
  return phase
    ? `Ring Out arena (${phase === 'matchOver' ? 'match over' : phase === 'roundOver' ? 'round over' : phase})`
    : 'Ring Out arena';
}
