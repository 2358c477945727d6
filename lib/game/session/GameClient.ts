/**
 * A player's (or watcher's) side of a Ring Out match: samples local input every tick — and at once when
 * it changes (`sendInputNow`) — and sends it to the host over the unreliable channel (each packet repeats
 * the last INPUT_REDUNDANCY inputs), applies the host's snapshots, predicts the own puck, interpolates
 * the others and exposes `renderState(now)`.
 */
import { assertNever } from '../../protocol/errors';
import {
  ARENA_START_RADIUS_U,
  DASH_COOLDOWN_TICKS,
  ROUND_MAX_TICKS,
  SHRINK_END_TICKS,
  SHRINK_START_TICKS,
  SLOT_COLORS,
  TICK_HZ,
} from '../constants';
import {
  CODEC_VERSION,
  encodeInputs,
  encodeReliable,
  INPUT_REDUNDANCY,
  quantizeInput,
  type ReliableMessage,
  type RosterEntry,
  type SequencedInput,
  type Snapshot,
} from '../codec';
import { SnapshotBuffer, TickClock, type PuckSample } from '../interpolation';
import { Predictor } from '../prediction';
import { matchWinners } from '../sim';
import type { RenderBurst, RenderPuck, RenderState, ScoreLine } from '../renderState';
import type { GameEvent, GameState, PlayerInput } from '../types';
import { GameDispatcher, type GameMessageListener, type GameMessageType } from './dispatcher';
import { startFixedLoop, type FixedLoop, type GameScheduler } from './scheduler';
import type { GameTransport } from './transport';

export const BURST_LIFETIME_MS = 1200;
export const TRAIL_POINTS = 8;

export interface GameClientOptions {
  transport: GameTransport;
  scheduler: GameScheduler;
  hostId: string;
  /** The page's dispatcher (see dispatcher.ts); without one the client makes and owns its own. */
  dispatcher?: GameDispatcher;
  /** Sampled once per tick. `dash` should be true once per press (see components/game/input.ts). */
  readInput: () => PlayerInput;
}

type ClientStatus = 'idle' | 'running' | 'closed';
export type ScoreboardMessage = Extract<ReliableMessage, { t: 'scoreboard' }>;

export class GameClient {
  private status: ClientStatus = 'idle';
  private hostId: string;
  private readonly disposers: (() => void)[] = [];
  private readonly listeners = new Set<(event: GameEvent) => void>();
  private readonly rosterListeners = new Set<(roster: RosterEntry[]) => void>();
  private readonly scoreboardListeners = new Set<(board: ScoreboardMessage) => void>();
  private board: ScoreboardMessage | null = null;
  private rosterEntries: RosterEntry[] = [];
  private slot: number | null = null;
  private predictor: Predictor | null = null;
  private readonly buffer = new SnapshotBuffer();
  private readonly clock = new TickClock();
  private latest: Snapshot | null = null;
  private seq = 0;
  private history: SequencedInput[] = [];
  private bursts: (Omit<RenderBurst, 'ageMs'> & { atMs: number })[] = [];
  private trails = new Map<number, { x: number; y: number }[]>();
  private lastRenderMs: number | null = null;
  private readonly dispatcher: GameDispatcher;
  private heardAt: number | null = null;
  /** On the authority's page: the live simulation, drawn as it is (no interpolation delay). */
  private local: (() => GameState) | null = null;
  private loop: FixedLoop | null = null;

  constructor(private readonly opts: GameClientOptions) {
    this.hostId = opts.hostId;
    this.dispatcher = opts.dispatcher ?? new GameDispatcher(opts.transport);
  }

  start(): void {
    if (this.status !== 'idle') return;
    this.status = 'running';
    this.disposers.push(
      this.fromHost('snapshot', (_, msg) => this.onSnapshot(msg.snapshot)),
      this.fromHost('roster', (_, msg) => this.onReliable(msg)),
      this.fromHost('event', (_, msg) => this.onReliable(msg)),
      this.fromHost('scoreboard', (_, msg) => this.onReliable(msg)),
    );
    if (!this.opts.dispatcher) this.disposers.push(() => this.dispatcher.close());
    const loop = startFixedLoop(this.opts.scheduler, () => this.tick());
    this.loop = loop;
    this.disposers.push(() => loop.stop());
    this.hello();
  }

  close(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    for (const dispose of this.disposers.splice(0)) dispose();
    this.listeners.clear();
    this.rosterListeners.clear();
    this.scoreboardListeners.clear();
  }

  /** Host migration: listen to the new host; the prediction rebases on its first snapshot. */
  setHost(hostId: string): void {
    if (hostId === this.hostId) return;
    this.hostId = hostId;
    this.heardAt = null;
    this.clock.reset();
    if (this.status === 'running') this.hello();
  }

  /**
   * The authority's page draws its own simulation: remote pucks straight from `source` (the GameHost's
   * state, one tick old at most) rather than from snapshots delayed for interpolation. null: snapshots.
   */
  setLocalAuthority(source: (() => GameState) | null): void {
    this.local = source;
  }

  /** How far behind the host remote pucks are drawn now (adaptive; 0 on the authority's own page). */
  get interpDelayMs(): number {
    return this.local ? 0 : this.clock.delay.delayMs;
  }

  /** The snapshot lateness the delay allows for (the jitter measured over the last two seconds). */
  get jitterMs(): number {
    return this.clock.delay.jitterMs;
  }

  /** When the current host's last snapshot arrived (null: none since it became the host). */
  get lastHeardMs(): number | null {
    return this.heardAt;
  }

  get currentHost(): string {
    return this.hostId;
  }

  get selfSlot(): number | null {
    return this.slot;
  }

  get roster(): RosterEntry[] {
    return this.rosterEntries;
  }

  /** The newest snapshot received: what a new host continues from. */
  get latestSnapshot(): Snapshot | null {
    return this.latest;
  }

  get predictedState(): GameState | null {
    return this.predictor?.state ?? null;
  }

  onEvent(fn: (event: GameEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Standings sent reliably after each round; `final` after the match. */
  onScoreboard(fn: (board: ScoreboardMessage) => void): () => void {
    this.scoreboardListeners.add(fn);
    return () => void this.scoreboardListeners.delete(fn);
  }

  get lastScoreboard(): ScoreboardMessage | null {
    return this.board;
  }

  onRoster(fn: (roster: RosterEntry[]) => void): () => void {
    this.rosterListeners.add(fn);
    return () => void this.rosterListeners.delete(fn);
  }

  requestRematch(): void {
    this.opts.transport.send(this.hostId, 'reliable', encodeReliable({ t: 'rematch', v: CODEC_VERSION }));
  }

  /** One local tick: sample, predict, send. The loop calls it; tests may call it directly. */
  tick(): void {
    if (this.status === 'closed' || this.slot === null) return;
    const input: SequencedInput = { ...quantizeInput(this.opts.readInput()), seq: ++this.seq };
    this.history.push(input);
    if (this.history.length > INPUT_REDUNDANCY) this.history.shift();
    this.predictor?.applyLocal(input);
    this.opts.transport.send(this.hostId, 'unreliable', encodeInputs(this.history));
  }

  /**
   * The player's input just changed (a key went down or up, the stick started or stopped): sample and
   * send it now rather than at the next tick, up to a tick (8 ms on average) sooner at the authority.
   */
  sendInputNow(): void {
    if (this.status === 'running' && this.slot !== null) this.loop?.tickNow();
  }

  private hello(): void {
    this.opts.transport.send(this.hostId, 'reliable', encodeReliable({ t: 'hello', v: CODEC_VERSION }));
  }

  /** Only the current host speaks for the game; anything else claiming to is ignored. */
  private fromHost<T extends GameMessageType>(type: T, fn: GameMessageListener<T>): () => void {
    return this.dispatcher.on(type, (from, msg) => {
      if (from === this.hostId) fn(from, msg);
    });
  }

  private onReliable(msg: ReliableMessage): void {
    switch (msg.t) {
      case 'roster': {
        this.rosterEntries = msg.players;
        const slot = msg.players.find((p) => p.id === this.opts.transport.selfId)?.slot ?? null;
        if (slot !== this.slot) {
          this.slot = slot;
          this.predictor = slot === null ? null : new Predictor(slot);
          this.history = [];
        }
        for (const fn of [...this.rosterListeners]) fn(msg.players);
        return;
      }
      case 'event':
        for (const fn of [...this.listeners]) fn(msg.event);
        return;
      case 'scoreboard':
        this.board = msg;
        for (const fn of [...this.scoreboardListeners]) fn(msg);
        return;
      case 'hello':
      case 'rematch':
      case 'handoff-request':
      case 'handoff':
        return;
      default:
        assertNever(msg);
    }
  }

  private onSnapshot(snap: Snapshot): void {
    const now = this.opts.scheduler.now();
    this.heardAt = now;
    this.clock.observe(snap.state.tick, now);
    this.buffer.push(snap.state);
    const previous = this.latest;
    // Unreliable means unordered: an older snapshot only feeds the interpolation buffer.
    if (previous && snap.state.tick <= previous.state.tick) return;
    this.latest = snap;
    if (previous) this.detectKnockouts(previous.state, snap.state, now);
    if (this.slot === null) return;
    const ack = snap.acks.get(this.slot) ?? 0;
    // A page reloaded mid-game counts its inputs from 0 again, while the host still holds the last input
    // it applied for this slot and drops every one that is not newer: continue numbering above it. (The
    // few inputs sent before this first snapshot are lost: one round trip.)
    if (ack > this.seq) {
      this.seq = ack;
      this.history = [];
    }
    this.predictor?.reconcile(snap.state, ack);
  }

  /** Bursts come from snapshots (alive → out), so they survive a lost reliable event or a host change. */
  private detectKnockouts(before: GameState, after: GameState, now: number): void {
    for (const p of after.players) {
      const was = before.players.find((q) => q.slot === p.slot);
      if (was?.status === 'alive' && p.status === 'out') {
        this.bursts.push({
          x: p.x,
          y: p.y,
          color: colorOf(p.slot),
          atMs: now,
          seed: after.tick * 8 + p.slot,
        });
      }
    }
  }

  /**
   * The frame to draw at `nowMs` (null before the first snapshot). Call once per animation frame: it
   * also ages the correction offset, the bursts and the dash trails.
   */
  renderState(nowMs: number = this.opts.scheduler.now()): RenderState | null {
    const snap = this.latest;
    if (!snap) return null;
    const live = this.local?.() ?? null;
    const s = live ?? snap.state;
    if (this.lastRenderMs !== null) this.predictor?.decay(nowMs - this.lastRenderMs);
    this.lastRenderMs = nowMs;
    const sampled = live ? samplesOf(live) : this.buffer.sample(this.clock.renderTick(nowMs) ?? s.tick);
    const own = this.slot !== null ? this.predictor?.ownPuck() : undefined;
    const ownPos = this.predictor?.renderPosition();
    const pucks: RenderPuck[] = [];
    for (const p of s.players) {
      const isSelf = p.slot === this.slot;
      const src =
        isSelf && own && ownPos
          ? { ...own, ...ownPos, dashing: own.dashActiveTicks > 0 }
          : sampled.get(p.slot);
      if (!src) continue;
      const trail = this.updateTrail(p.slot, src.dashing, src.x, src.y);
      pucks.push({
        slot: p.slot,
        x: src.x,
        y: src.y,
        vx: src.vx,
        vy: src.vy,
        status: src.status,
        dashing: src.dashing,
        color: colorOf(p.slot),
        nickname: this.nicknameOf(p.slot),
        isSelf,
        trail,
      });
    }
    this.bursts = this.bursts.filter((b) => nowMs - b.atMs < BURST_LIFETIME_MS);
    const scoreboard: ScoreLine[] = s.players
      .map((p) => ({
        slot: p.slot,
        nickname: this.nicknameOf(p.slot),
        color: colorOf(p.slot),
        score: p.score,
        knockouts: p.knockouts,
        roundWins: p.roundWins,
        isSelf: p.slot === this.slot,
      }))
      .sort((a, b) => b.score - a.score || b.roundWins - a.roundWins || a.slot - b.slot);
    return {
      phase: s.phase,
      secondsLeft: secondsLeft(s),
      round: s.round,
      roundsTotal: s.roundsTotal,
      arenaRadius: s.arenaRadius,
      arenaStartRadius: ARENA_START_RADIUS_U,
      shrinking: s.phase === 'play' && s.phaseTicks > SHRINK_START_TICKS && s.phaseTicks < SHRINK_END_TICKS,
      selfSlot: this.slot,
      dashReady: own ? 1 - own.dashCooldownTicks / DASH_COOLDOWN_TICKS : 0,
      pucks,
      bursts: this.bursts.map(({ atMs, ...b }) => ({ ...b, ageMs: nowMs - atMs })),
      winners: winnersOf(s),
      scoreboard,
    };
  }

  private updateTrail(slot: number, dashing: boolean, x: number, y: number): { x: number; y: number }[] {
    if (!dashing) {
      this.trails.delete(slot);
      return [];
    }
    const trail = this.trails.get(slot) ?? [];
    trail.push({ x, y });
    if (trail.length > TRAIL_POINTS) trail.shift();
    this.trails.set(slot, trail);
    return trail.slice(0, -1);
  }

  private nicknameOf(slot: number): string {
    return this.rosterEntries.find((e) => e.slot === slot)?.nickname ?? `Player ${slot + 1}`;
  }
}

function samplesOf(state: GameState): Map<number, PuckSample> {
  return new Map(
    state.players.map((p) => [
      p.slot,
      { x: p.x, y: p.y, vx: p.vx, vy: p.vy, status: p.status, dashing: p.dashActiveTicks > 0 },
    ]),
  );
}

export function colorOf(slot: number): string {
  return SLOT_COLORS[slot % SLOT_COLORS.length]!;
}

function secondsLeft(s: GameState): number {
  switch (s.phase) {
    case 'countdown':
    case 'roundOver':
      return Math.ceil(s.phaseTicks / TICK_HZ);
    case 'play':
      return Math.ceil((ROUND_MAX_TICKS - s.phaseTicks) / TICK_HZ);
    case 'matchOver':
      return 0;
    default:
      return assertNever(s.phase);
  }
}

function winnersOf(s: GameState): number[] {
  if (s.phase === 'matchOver') return matchWinners(s);
  return s.players.filter((p) => (s.lastWinners & (1 << p.slot)) !== 0).map((p) => p.slot);
}
