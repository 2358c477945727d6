import type { RenderState } from '../../lib/game/renderState';

/**
 * What a screen reader should hear between two frames of the game: a countdown starting, the start,
 * knock-outs, the round's and the match's winners. A pure function of the two frames.
 */
export function gameAnnouncements(prev: RenderState | null, next: RenderState): string[] {
  const out: string[] = [];
  const entered = (phase: RenderState['phase']) =>
    next.phase === phase && (prev?.phase !== phase || prev.round !== next.round);
  const names = (slots: number[]) =>
    slots.map((s) => next.scoreboard.find((l) => l.slot === s)?.nickname ?? 'A player').join(' and ');
  const selfWon = next.selfSlot !== null && next.winners.includes(next.selfSlot);

  if (entered('countdown'))
    out.push(`Round ${next.round} of ${next.roundsTotal} starts in ${next.secondsLeft} seconds.`);
  if (entered('play')) out.push('Go!');
  if (prev && prev.round === next.round) {
    for (const p of next.pucks) {
      const before = prev.pucks.find((q) => q.slot === p.slot);
      if (before?.status === 'alive' && p.status === 'out')
        out.push(p.isSelf ? 'You are out!' : `${p.nickname} is out.`);
    }
  }
  if (entered('roundOver'))
    out.push(
      next.winners.length === 0
        ? `Nobody survived round ${next.round}.`
        : `${selfWon && next.winners.length === 1 ? 'You win' : `${names(next.winners)} ${next.winners.length > 1 ? 'survive' : 'wins'}`} round ${next.round}.`,
    );
  if (entered('matchOver'))
    out.push(
      next.winners.length === 0
        ? 'Match over.'
        : selfWon && next.winners.length === 1
          ? 'You win the match!'
          : `${names(next.winners)} ${next.winners.length > 1 ? 'share the win' : 'wins the match'}!`,
    );
  return out;
}

/** Fed every drawn frame by the canvas; React subscribes and shows the latest words in a live region. */
export class GameAnnouncer {
  private last: RenderState | null = null;
  private text = '';
  private readonly listeners = new Set<() => void>();

  observe(rs: RenderState | null) {
    if (!rs) return;
    const said = gameAnnouncements(this.last, rs);
    this.last = rs;
    if (said.length === 0) return;
    this.text = said.join(' ');
    this.listeners.forEach((fn) => fn());
  }

  readonly current = () => this.text;

  readonly subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };
}
