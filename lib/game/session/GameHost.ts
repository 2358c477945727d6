/**
 * The authoritative side of a Ring Out match. Runs `step` at TICK_HZ from an injected scheduler,
 * applies inputs received over the unreliable channel, broadcasts snapshots (unreliable) every
 * SNAPSHOT_EVERY_TICKS and events/roster (reliable). Transport-free apart from GameTransport.
 */
import { assertNever } from '../../protocol/errors';
import { SNAPSHOT_EVERY_TICKS } from '../constants';
import {
  CODEC_VERSION,
  decodeInputs,
  decodeReliable,
  encodeReliable,
  encodeSnapshot,
  MessageKind,
  peekKind,
  type ReliableMessage,
  type RosterEntry,
  type Snapshot,
} from '../codec';
import { addPlayer, createMatch, rematch, removePlayer, step } from '../sim';
import type { GameEvent, GameState, PlayerInput } from '../types';
import { InputQueue } from './inputQueue';
import { Roster } from './roster';
import { startFixedLoop, type GameScheduler } from './scheduler';
import type { GameChannel, GamePayload, GameTransport } from './transport';

export interface GameHostDeps {
  transport: GameTransport;
  scheduler: GameScheduler;
  snapshotEveryTicks?: number;
}

export interface NewMatchOptions extends GameHostDeps {
  /** In join order: earlier players get lower slots. Beyond MAX_PLAYERS, peers only watch. */
  players: readonly { id: string; nickname: string }[];
  /** uint32; pick it from crypto.getRandomValues when starting a match. */
  seed: number;
  roundsTotal?: number;
}

type HostStatus = 'idle' | 'running' | 'closed';

function scoreboardMessage(state: GameState, event: Extract<GameEvent, { type: 'roundEnd' | 'matchEnd' }>): ReliableMessage {
  return {
    t: 'scoreboard',
    v: CODEC_VERSION,
    round: state.round,
    final: event.type === 'matchEnd',
    winners: event.winners,
    lines: state.players.map((p) => ({ slot: p.slot, score: p.score, knockouts: p.knockouts, roundWins: p.roundWins })),
  };
}

export class GameHost {
  private status: HostStatus = 'idle';
  private readonly disposers: (() => void)[] = [];
  private readonly queues = new Map<number, InputQueue>();
  private readonly listeners = new Set<(event: GameEvent, state: GameState) => void>();
  private readonly snapshotEvery: number;

  private constructor(
    private current: GameState,
    private readonly roster: Roster,
    acks: ReadonlyMap<number, number>,
    private readonly deps: GameHostDeps,
  ) {
    this.snapshotEvery = Math.max(1, Math.floor(deps.snapshotEveryTicks ?? SNAPSHOT_EVERY_TICKS));
    for (const e of roster.entries()) this.queues.set(e.slot, new InputQueue(acks.get(e.slot) ?? 0));
  }

  static create(opts: NewMatchOptions): GameHost {
    const roster = new Roster();
    for (const p of opts.players) roster.add(p.id, p.nickname);
    const state = createMatch({ seed: opts.seed, slots: roster.entries().map((e) => e.slot), roundsTotal: opts.roundsTotal });
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
    this.disposers.push(this.deps.transport.onMessage((from, channel, data) => this.receive(from, channel, data)));
    this.disposers.push(startFixedLoop(this.deps.scheduler, () => this.tick()));
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
    if (!this.queues.has(slot)) this.queues.set(slot, new InputQueue());
    this.current = addPlayer(this.current, slot);
    this.broadcastRoster();
    return slot;
  }

  removePlayer(id: string): void {
    const slot = this.roster.remove(id);
    if (slot === null || this.status === 'closed') return;
    this.queues.delete(slot);
    this.current = removePlayer(this.current, slot);
    this.broadcastRoster();
  }

  rematch(): void {
    this.current = rematch(this.current);
  }

  /** One fixed tick. The loop calls it; tests may call it directly. */
  tick(): void {
    if (this.status === 'closed') return;
    const inputs = new Map<number, PlayerInput>();
    for (const [slot, queue] of this.queues) inputs.set(slot, queue.next());
    const { state, events } = step(this.current, inputs);
    this.current = state;
    for (const event of events) {
      this.deps.transport.broadcast('reliable', encodeReliable({ t: 'event', v: CODEC_VERSION, tick: state.tick, event }));
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
    this.listeners.clear();
  }

  snapshot(): Snapshot {
    const acks = new Map<number, number>();
    for (const [slot, queue] of this.queues) acks.set(slot, queue.ack);
    return { state: this.current, acks };
  }

  /** Per slot: last applied input and inputs lost for good (all redundant copies dropped). */
  inputStats(): Map<number, { ack: number; lost: number }> {
    return new Map([...this.queues].map(([slot, q]) => [slot, { ack: q.ack, lost: q.lostInputs }]));
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

  private receive(from: string, channel: GameChannel, data: GamePayload): void {
    if (typeof data === 'string') {
      const msg = decodeReliable(data);
      if (!msg.ok) return;
      switch (msg.value.t) {
        case 'hello':
          this.deps.transport.send(from, 'reliable', this.rosterMessage());
          return;
        case 'rematch':
          if (this.roster.slotOf(from) !== null) this.rematch();
          return;
        case 'roster':
        case 'event':
        case 'scoreboard':
          return; // host → client messages; another peer claiming to be host is ignored
        default:
          assertNever(msg.value);
      }
      return;
    }
    if (channel !== 'unreliable' || peekKind(data) !== MessageKind.INPUT) return;
    const slot = this.roster.slotOf(from);
    if (slot === null) return;
    const inputs = decodeInputs(data);
    if (inputs.ok) this.queues.get(slot)?.receive(inputs.value);
  }
}
