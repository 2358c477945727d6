/**
 * The authoritative side of a Ring Out match. Runs `step` at TICK_HZ from an injected scheduler,
 * applies inputs received over the unreliable channel, broadcasts snapshots (unreliable) every
 * SNAPSHOT_EVERY_TICKS and events/roster (reliable). Transport-free apart from GameTransport.
 */
import { SNAPSHOT_EVERY_TICKS } from '../constants';
import {
  CODEC_VERSION,
  encodeReliable,
  encodeSnapshot,
  type ReliableMessage,
  type RosterEntry,
  type SequencedInput,
  type Snapshot,
} from '../codec';
import { addPlayer, createMatch, rematch, removePlayer, step } from '../sim';
import type { GameEvent, GameState, PlayerInput } from '../types';
import { LatestInput } from './latestInput';
import { Roster } from './roster';
import { GameDispatcher } from './dispatcher';
import { startFixedLoop, type FixedLoopOptions, type GameScheduler } from './scheduler';
import type { GameTransport } from './transport';

export interface GameHostDeps {
  transport: GameTransport;
  scheduler: GameScheduler;
  /** The page's dispatcher (see dispatcher.ts); without one the host makes and owns its own. */
  dispatcher?: GameDispatcher;
  snapshotEveryTicks?: number;
  /** Stall detection for the tick loop (see startFixedLoop). */
  loop?: FixedLoopOptions;
}

export interface NewMatchOptions extends GameHostDeps {
  /** In join order: earlier players get lower slots. Beyond MAX_PLAYERS, peers only watch. */
  players: readonly { id: string; nickname: string }[];
  /** uint32; pick it from crypto.getRandomValues when starting a match. */
  seed: number;
  roundsTotal?: number;
}

type HostStatus = 'idle' | 'running' | 'closed';

function scoreboardMessage(
  state: GameState,
  event: Extract<GameEvent, { type: 'roundEnd' | 'matchEnd' }>,
): ReliableMessage {
  return {
    t: 'scoreboard',
    v: CODEC_VERSION,
    round: state.round,
    final: event.type === 'matchEnd',
    winners: event.winners,
    lines: state.players.map((p) => ({
      slot: p.slot,
      score: p.score,
      knockouts: p.knockouts,
      roundWins: p.roundWins,
    })),
  };
}

export class GameHost {
  private status: HostStatus = 'idle';
  private readonly disposers: (() => void)[] = [];
  private readonly inputs = new Map<number, LatestInput>();
  private readonly listeners = new Set<(event: GameEvent, state: GameState) => void>();
  private readonly snapshotEvery: number;
  private readonly dispatcher: GameDispatcher;
  private readonly ownsDispatcher: boolean;

  private constructor(
    private current: GameState,
    private readonly roster: Roster,
    acks: ReadonlyMap<number, number>,
    private readonly deps: GameHostDeps,
  ) {
    this.snapshotEvery = Math.max(1, Math.floor(deps.snapshotEveryTicks ?? SNAPSHOT_EVERY_TICKS));
    this.ownsDispatcher = !deps.dispatcher;
    this.dispatcher = deps.dispatcher ?? new GameDispatcher(deps.transport);
    for (const e of roster.entries()) this.inputs.set(e.slot, new LatestInput(acks.get(e.slot) ?? 0));
  }

  static create(opts: NewMatchOptions): GameHost {
    const roster = new Roster();
    for (const p of opts.players) roster.add(p.id, p.nickname);
    const state = createMatch({
      seed: opts.seed,
      slots: roster.entries().map((e) => e.slot),
      roundsTotal: opts.roundsTotal,
    });
    return new GameHost(state, roster, new Map(), opts);
  }

  /**
   * Host migration: continue from the latest snapshot a client holds, with the roster it knows.
   * Pucks without a roster entry are removed; roster entries without a puck join as newcomers.
   * Remove the departed host afterwards with `removePlayer(oldHostId)`.
   */
  static fromSnapshot(snapshot: Snapshot, roster: readonly RosterEntry[], deps: GameHostDeps): GameHost {
    const r = new Roster(roster);
    let state = snapshot.state;
    for (const p of state.players) if (!r.entry(p.slot)) state = removePlayer(state, p.slot);
    for (const e of r.entries()) state = addPlayer(state, e.slot);
    return new GameHost(state, r, snapshot.acks, deps);
  }

  get state(): GameState {
    return this.current;
  }

  get players(): RosterEntry[] {
    return this.roster.entries();
  }

  start(): void {
    if (this.status !== 'idle') return;
    this.status = 'running';
    const d = this.dispatcher;
    this.disposers.push(
      d.on('inputs', (from, msg) => this.onInputs(from, msg.inputs)),
      d.on('hello', (from) => this.deps.transport.send(from, 'reliable', this.rosterMessage())),
      d.on('rematch', (from) => {
        if (this.roster.slotOf(from) !== null) this.rematch();
      }),
    );
    const loop = startFixedLoop(this.deps.scheduler, () => this.tick(), undefined, this.deps.loop);
    this.disposers.push(() => loop.stop());
    this.broadcastRoster();
    this.broadcastSnapshot();
  }

  /** Local listeners (UI, tests); every subscribe returns its remover. */
  onEvent(fn: (event: GameEvent, state: GameState) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** A lobby member arrived. Returns their slot, or null when they can only watch. */
  addPlayer(id: string, nickname: string): number | null {
    if (this.status === 'closed') return null;
    const slot = this.roster.add(id, nickname);
    if (slot === null) return null;
    if (!this.inputs.has(slot)) this.inputs.set(slot, new LatestInput());
    this.current = addPlayer(this.current, slot);
    this.broadcastRoster();
    return slot;
  }

  removePlayer(id: string): void {
    const slot = this.roster.remove(id);
    if (slot === null || this.status === 'closed') return;
    this.inputs.delete(slot);
    this.current = removePlayer(this.current, slot);
    this.broadcastRoster();
  }

  rematch(): void {
    this.current = rematch(this.current);
  }

  /** One fixed tick. The loop calls it; tests may call it directly. */
  tick(): void {
    if (this.status === 'closed') return;
    const now = new Map<number, PlayerInput>();
    for (const [slot, intake] of this.inputs) now.set(slot, intake.next());
    const { state, events } = step(this.current, now);
    this.current = state;
    for (const event of events) {
      this.deps.transport.broadcast(
        'reliable',
        encodeReliable({ t: 'event', v: CODEC_VERSION, tick: state.tick, event }),
      );
      if (event.type === 'roundEnd' || event.type === 'matchEnd') {
        this.deps.transport.broadcast('reliable', encodeReliable(scoreboardMessage(state, event)));
      }
      for (const fn of [...this.listeners]) fn(event, state);
    }
    if (state.tick % this.snapshotEvery === 0) this.broadcastSnapshot();
  }

  close(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.ownsDispatcher) this.dispatcher.close();
    this.listeners.clear();
  }

  snapshot(): Snapshot {
    const acks = new Map<number, number>();
    for (const [slot, intake] of this.inputs) acks.set(slot, intake.ack);
    return { state: this.current, acks };
  }

  /** Per slot: last applied input and inputs lost for good (all redundant copies dropped). */
  inputStats(): Map<number, { ack: number; lost: number }> {
    return new Map([...this.inputs].map(([slot, q]) => [slot, { ack: q.ack, lost: q.lostInputs }]));
  }

  private broadcastSnapshot(): void {
    this.deps.transport.broadcast('unreliable', encodeSnapshot(this.snapshot()));
  }

  private broadcastRoster(): void {
    if (this.status !== 'running') return;
    this.deps.transport.broadcast('reliable', this.rosterMessage());
  }

  private rosterMessage(): string {
    return encodeReliable({ t: 'roster', v: CODEC_VERSION, players: this.roster.entries() });
  }

  private onInputs(from: string, inputs: readonly SequencedInput[]): void {
    const slot = this.roster.slotOf(from);
    if (slot !== null) this.inputs.get(slot)?.receive(inputs);
  }
}
