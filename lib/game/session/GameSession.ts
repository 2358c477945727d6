/**
 * One page's part in the lobby's game: decides from the lobby view when a match runs and who simulates
 * it (authority.ts), and owns the page's GameDispatcher, its GameClient (every page) and its GameHost
 * (the authority's page only). React creates one per mounted game panel, calls close() in the effect
 * cleanup, reads the small summary store and calls frame(now) once per animation frame.
 *
 * The page is in one of four states (SessionState):
 * - `off`: the lobby is not in a game.
 * - `client`: another page simulates; this one plays through its GameClient. It keeps the newest
 *   `handoff` it was sent, in case it becomes the authority next.
 * - `authority`: this page simulates (GameHost) and plays (GameClient) at once.
 * - `awaiting-handoff`: this page must simulate but holds no state (it loaded into a running game, or it
 *   was frozen and woke up behind). It broadcasts `handoff-request`; the first `handoff` makes it the
 *   authority; with none within HANDOFF_WAIT_MS it continues from what it has, or starts a new match.
 *
 * Handoff: an authority that stops being one while the next is present sends it `handoff {to, roster,
 * snapshot}` (the lobby host came back after a reload, or the host role moved). A client answers a
 * `handoff-request` from the page it follows with its newest snapshot. A handoff is also a statement:
 * its sender no longer simulates, and `to` should.
 *
 * A stalled authority: a page the server still counts present may stop simulating (a frozen tab, a
 * suspended laptop). A client that hears no snapshot from its authority for AUTHORITY_SILENCE_MS marks
 * it stalled and passes it over: every page hears the same silence, so all pick the same next member,
 * which continues from its own newest snapshot, within about AUTHORITY_SILENCE_MS. The stalled page
 * notices when it wakes (its tick loop saw a gap): it does not replay the ticks it missed; it steps down
 * with a broadcast handoff and plays on as a client (a page that was frozen once is likely in the
 * background, so it does not take the match back and risk freezing it again). The marks are guesses,
 * dropped when the server says more: a change of host or of the member's presence, the match ending;
 * and when the member shows life — a snapshot (it was only slow) or a `handoff-request` (it reloaded).
 *
 * Seats: a member whose presence is 'dropped' keeps their puck (it stands still) for the seat grace
 * window; only a final leave removes it. A member who joins mid-round watches until the next round
 * (the simulation decides that; see sim.ts addPlayer).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LobbySource, LobbyView } from '../../protocol';
import {
  CODEC_VERSION,
  encodeHandoff,
  encodeReliable,
  handoffSnapshot,
  type RosterEntry,
  type Snapshot,
} from '../codec';
import { SLOT_COLORS } from '../constants';
import type { RenderState, ScoreLine } from '../renderState';
import type { Phase, PlayerInput } from '../types';
import { gameAuthority } from './authority';
import { GameDispatcher } from './dispatcher';
import { GameClient } from './GameClient';
import { GameHost } from './GameHost';
import type { GameScheduler } from './scheduler';
import type { GameTransport } from './transport';

export interface GameSessionOptions {
  lobby: LobbySource;
  /** The game topic of the mesh, already wrapped in withLoopback (the authority plays too). */
  transport: GameTransport;
  scheduler: GameScheduler;
  readInput: () => PlayerInput;
  /** Rounds of a match this page creates (tests shorten it); the default is the game's own. */
  roundsTotal?: number;
  /** uint32 seed of a new match. */
  randomSeed?: () => number;
}

/** `off`: the lobby is not in a game; `waiting-host`: no snapshot yet; `live`: drawing the match. */
export type GameStatus = 'off' | 'waiting-host' | 'live';
/** `watcher`: no slot (not yet in the roster, or the game is full); `spectator`: plays from the next round. */
export type SelfRole = 'player' | 'spectator' | 'watcher';

export interface GameSummary {
  status: GameStatus;
  authorityId: string | null;
  isAuthority: boolean;
  phase: Phase | null;
  round: number;
  roundsTotal: number;
  selfSlot: number | null;
  selfColor: string | null;
  role: SelfRole;
  /** Best first. */
  scoreboard: ScoreLine[];
  winners: number[];
}

const OFF: GameSummary = {
  status: 'off',
  authorityId: null,
  isAuthority: false,
  phase: null,
  round: 0,
  roundsTotal: 0,
  selfSlot: null,
  selfColor: null,
  role: 'watcher',
  scoreboard: [],
  winners: [],
};

/** The match as one page hands it to the next authority. */
export interface Handoff {
  snapshot: Snapshot;
  roster: RosterEntry[];
}

export type SessionState =
  | { kind: 'off' }
  | { kind: 'client'; client: GameClient; authorityId: string; handoff: Handoff | null }
  | { kind: 'authority'; client: GameClient; host: GameHost }
  | { kind: 'awaiting-handoff'; client: GameClient; giveUp: () => void };
export type SessionKind = SessionState['kind'];

/** How long an authority that holds no state waits for someone's before it continues without. */
export const HANDOFF_WAIT_MS = 1500;
/** A client that hears no snapshot from its authority this long passes it over. */
export const AUTHORITY_SILENCE_MS = 700;
/** An authority whose tick loop slept this long was stalled: the others have moved on (or are about to). */
export const SELF_STALL_MS = 450;
/** How often a client checks its authority's silence. */
export const WATCHDOG_EVERY_MS = 100;

/** `fresh`: this page saw the lobby waiting, so the next game is a new match. */
type Arrival = 'fresh' | 'mid-game';

function cryptoSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** The newer of two handoffs (by tick); a page's own snapshot and one it was sent compete this way. */
function newer(a: Handoff | null, b: Handoff | null): Handoff | null {
  if (!a) return b;
  if (!b) return a;
  return b.snapshot.state.tick > a.snapshot.state.tick ? b : a;
}

export class GameSession {
  readonly store: StoreApi<GameSummary> = createStore<GameSummary>()(() => OFF);
  private lifecycle: 'idle' | 'running' | 'closed' = 'idle';
  private state: SessionState = { kind: 'off' };
  private arrival: Arrival | null = null;
  /** Members passed over as authority for this match because they went silent (see the file comment). */
  private readonly stalled = new Set<string>();
  private stalledUnderHost: string | null = null;
  private summaryKey = '';
  private readonly dispatcher: GameDispatcher;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly opts: GameSessionOptions) {
    this.dispatcher = new GameDispatcher(opts.transport);
  }

  start(): void {
    if (this.lifecycle !== 'idle') return;
    this.lifecycle = 'running';
    const d = this.dispatcher;
    this.disposers.push(
      this.opts.lobby.on('lobby', (lobby, selfId) => this.follow(lobby, selfId)),
      d.on('handoff', (from, msg) => {
        const snap = handoffSnapshot(msg);
        if (snap.ok) this.receiveHandoff(from, msg.to, { snapshot: snap.value, roster: msg.roster });
      }),
      d.on('handoff-request', (from) => this.receiveHandoffRequest(from)),
      d.on('snapshot', (from) => {
        // A member passed over as stalled is simulating again: it was only slow. Follow it again.
        if (this.stalled.delete(from)) this.refollow();
      }),
      this.opts.scheduler.every(WATCHDOG_EVERY_MS, this.watchdog()),
    );
    this.follow(this.opts.lobby.currentLobby, this.opts.lobby.playerId);
  }

  close(): void {
    if (this.lifecycle === 'closed') return;
    this.lifecycle = 'closed';
    for (const dispose of this.disposers.splice(0)) dispose();
    this.toOff();
    this.dispatcher.close();
  }

  /** The page's part now (tests and debugging). */
  get kind(): SessionKind {
    return this.state.kind;
  }

  /** Whether this page runs the simulation now. */
  get isAuthority(): boolean {
    return this.state.kind === 'authority';
  }

  /** The frame to draw at `nowMs` (same clock as the scheduler); also refreshes the summary store. */
  frame(nowMs: number): RenderState | null {
    const rs = this.client?.renderState(nowMs) ?? null;
    this.publish(rs);
    return rs;
  }

  /** The newest tick this page knows (a test hook: it keeps advancing while someone simulates). */
  get tick(): number | null {
    if (this.state.kind === 'authority') return this.state.host.state.tick;
    return this.client?.latestSnapshot?.state.tick ?? null;
  }

  /** How far behind its authority this page draws the others (0 on the authority; a bench and debugging hook). */
  get interpDelayMs(): number | null {
    return this.client?.interpDelayMs ?? null;
  }

  requestRematch(): void {
    this.client?.requestRematch();
  }

  /** The local controls changed (see GameClient.sendInputNow): send the new input without waiting for the tick. */
  inputChanged(): void {
    this.client?.sendInputNow();
  }

  private get client(): GameClient | null {
    return this.state.kind === 'off' ? null : this.state.client;
  }

  private refollow(): void {
    this.follow(this.opts.lobby.currentLobby, this.opts.lobby.playerId);
  }

  private follow(lobby: LobbyView | null, selfId: string | null): void {
    if (this.lifecycle !== 'running') return;
    this.arrival ??= lobby?.phase === 'in-game' ? 'mid-game' : 'fresh';
    if (!lobby || !selfId || lobby.phase !== 'in-game') {
      if (lobby?.phase === 'waiting') this.arrival = 'fresh';
      this.stalled.clear();
      this.toOff();
      this.publish(null);
      return;
    }
    // The server's word replaces this page's guesses: a new host, or a member dropped or back, is not "stalled".
    if (lobby.hostId !== this.stalledUnderHost) this.stalled.clear();
    this.stalledUnderHost = lobby.hostId;
    for (const id of this.stalled)
      if (!lobby.members.some((m) => m.id === id && m.presence === 'present')) this.stalled.delete(id);
    // This page is alive whatever its view says of its seat (a view from before its own resume).
    const authority = gameAuthority(lobby, this.stalled, new Set([...this.heardAuthority(), selfId]));
    if (!authority) {
      this.toOff();
      this.publish(null);
      return;
    }
    const client = this.client ?? this.newClient(authority);
    // Listen to the new authority before it (maybe this page) starts broadcasting.
    client.setHost(authority);
    const s = this.state;
    if (authority !== selfId) {
      if (s.kind === 'authority') this.handOver(s.host, authority, lobby);
      else if (s.kind === 'awaiting-handoff') s.giveUp();
      const handoff = s.kind === 'client' ? s.handoff : null;
      this.state = { kind: 'client', client, authorityId: authority, handoff };
      client.setLocalAuthority(null);
    } else if (s.kind === 'authority') this.reconcile(s.host, lobby);
    else if (s.kind !== 'awaiting-handoff')
      this.takeAuthority(lobby, client, s.kind === 'client' ? s.handoff : null);
    this.publish(null);
  }

  /** The authority this page follows, while its snapshots keep coming (whatever the server says of its seat). */
  private heardAuthority(): Set<string> {
    const s = this.state;
    if (s.kind !== 'client' || s.client.lastHeardMs === null) return new Set();
    return this.opts.scheduler.now() - s.client.lastHeardMs < AUTHORITY_SILENCE_MS
      ? new Set([s.authorityId])
      : new Set();
  }

  private newClient(authority: string): GameClient {
    const { transport, scheduler, readInput } = this.opts;
    const client = new GameClient({
      transport,
      scheduler,
      hostId: authority,
      readInput,
      dispatcher: this.dispatcher,
    });
    client.start();
    return client;
  }

  /**
   * Continue from the newest state this page holds or was handed (host migration); with none — a new
   * match, or this page was reloaded while it is the authority — ask for it, or start a new match.
   */
  private takeAuthority(lobby: LobbyView, client: GameClient, handoff: Handoff | null): void {
    const own = client.latestSnapshot ? { snapshot: client.latestSnapshot, roster: client.roster } : null;
    const from = newer(own, handoff);
    if (!from && this.arrival === 'mid-game') return this.awaitHandoff(client);
    this.becomeAuthority(lobby, client, from);
  }

  private becomeAuthority(lobby: LobbyView, client: GameClient, from: Handoff | null): void {
    const { transport, scheduler } = this.opts;
    const deps = {
      transport,
      scheduler,
      dispatcher: this.dispatcher,
      loop: { stallMs: SELF_STALL_MS, onStall: () => this.stalledSelf() },
    };
    const host = from
      ? GameHost.fromSnapshot(from.snapshot, from.roster, deps)
      : GameHost.create({
          ...deps,
          players: lobby.members.map((m) => ({ id: m.id, nickname: m.nickname })),
          seed: (this.opts.randomSeed ?? cryptoSeed)(),
          roundsTotal: this.opts.roundsTotal,
        });
    this.reconcile(host, lobby);
    this.state = { kind: 'authority', client, host };
    client.setLocalAuthority(() => host.state);
    host.start();
  }

  private awaitHandoff(client: GameClient): void {
    const cancel = this.opts.scheduler.every(HANDOFF_WAIT_MS, () => {
      // Nobody answered: continue from what this page holds (a stalled authority), else start anew.
      cancel();
      if (this.state.kind !== 'awaiting-handoff') return;
      const lobby = this.opts.lobby.currentLobby;
      const own = client.latestSnapshot ? { snapshot: client.latestSnapshot, roster: client.roster } : null;
      this.arrival = 'fresh';
      if (lobby) this.becomeAuthority(lobby, client, own);
      this.publish(null);
    });
    this.state = { kind: 'awaiting-handoff', client, giveUp: cancel };
    client.setLocalAuthority(null);
    this.opts.transport.broadcast('reliable', encodeReliable({ t: 'handoff-request', v: CODEC_VERSION }));
  }

  /** The tick loop woke after a long sleep: the others have passed this page over. Step down, say so. */
  private stalledSelf(): void {
    const s = this.state;
    if (s.kind !== 'authority') return;
    const selfId = this.opts.transport.selfId;
    const snapshot = s.host.snapshot();
    const roster = s.host.players;
    s.host.close();
    this.stalled.add(selfId);
    const lobby = this.opts.lobby.currentLobby;
    const next = lobby ? gameAuthority(lobby, this.stalled) : null;
    // The state becomes a client's before the lobby is followed again, so the host is not handed over twice.
    this.state = { kind: 'client', client: s.client, authorityId: next ?? selfId, handoff: null };
    if (next && roster.length > 0)
      this.opts.transport.broadcast('reliable', encodeHandoff(next, snapshot, roster));
    this.refollow();
  }

  /** Roster follows membership: newcomers get a slot (watching until the next round), leavers lose theirs. */
  private reconcile(host: GameHost, lobby: LobbyView): void {
    const members = new Set(lobby.members.map((m) => m.id));
    for (const p of host.players) if (!members.has(p.id)) host.removePlayer(p.id);
    const seated = new Set(host.players.map((p) => p.id));
    for (const m of lobby.members) if (!seated.has(m.id)) host.addPlayer(m.id, m.nickname);
  }

  /** Stop simulating and give the newest state to the page that simulates next. */
  private handOver(host: GameHost, to: string, lobby: LobbyView): void {
    const snapshot = host.snapshot();
    const roster = host.players;
    host.close();
    if (lobby.members.some((m) => m.id === to && m.presence === 'present'))
      this.sendHandoff(to, { snapshot, roster });
  }

  private sendHandoff(to: string, handoff: Handoff | null): void {
    if (!handoff || handoff.roster.length === 0) return;
    this.opts.transport.send(to, 'reliable', encodeHandoff(to, handoff.snapshot, handoff.roster));
  }

  private receiveHandoff(from: string, to: string, handoff: Handoff): void {
    const selfId = this.opts.transport.selfId;
    if (from === selfId) return;
    const s = this.state;
    if (s.kind === 'awaiting-handoff') {
      s.giveUp();
      const own = s.client.latestSnapshot
        ? { snapshot: s.client.latestSnapshot, roster: s.client.roster }
        : null;
      const lobby = this.opts.lobby.currentLobby;
      if (lobby) this.becomeAuthority(lobby, s.client, newer(own, handoff));
      this.publish(null);
      return;
    }
    if (s.kind !== 'client') return;
    s.handoff = newer(s.handoff, handoff);
    // The sender says it stopped simulating and names who should: believe it until the server says more.
    let changed = false;
    if (from === s.authorityId) changed = !this.stalled.has(from) && !!this.stalled.add(from);
    if (to === selfId) changed = this.stalled.delete(selfId) || changed;
    if (changed) this.refollow();
  }

  private receiveHandoffRequest(from: string): void {
    if (from === this.opts.transport.selfId) return;
    // Asking for the match is a sign of life (a reloaded page): a member passed over as stalled may simulate again.
    if (this.stalled.delete(from)) this.refollow();
    const s = this.state;
    // Only the page this one follows may ask (an authority hands over by itself when the lobby says so).
    if (s.kind === 'client' && from === s.authorityId && s.client.latestSnapshot) {
      this.sendHandoff(from, { snapshot: s.client.latestSnapshot, roster: s.client.roster });
    }
  }

  /** Passes over an authority that went silent while the server still counts it present. */
  private watchdog(): () => void {
    let last = this.opts.scheduler.now();
    let awakeSince = last;
    return () => {
      const now = this.opts.scheduler.now();
      // A page that was itself asleep cannot judge others' silence: what they sent meanwhile may still be
      // queued behind this check. Silence counts from when this page was last awake.
      if (now - last > WATCHDOG_EVERY_MS * 3) awakeSince = now;
      last = now;
      const s = this.state;
      if (s.kind !== 'client') return;
      // Silence from an authority never heard is a link still coming up (or moving to the relay), not a stall.
      const heard = s.client.lastHeardMs;
      if (heard === null || now - Math.max(heard, awakeSince) < AUTHORITY_SILENCE_MS) return;
      this.stalled.add(s.authorityId);
      this.refollow();
    };
  }

  private toOff(): void {
    const s = this.state;
    if (s.kind === 'off') return;
    if (s.kind === 'authority') s.host.close();
    if (s.kind === 'awaiting-handoff') s.giveUp();
    s.client.close();
    this.state = { kind: 'off' };
  }

  /** Writes the summary only when something in it changed (React re-renders on every write). */
  private publish(rs: RenderState | null): void {
    const s = this.state;
    const base = {
      authorityId: s.kind === 'off' ? null : s.kind === 'client' ? s.authorityId : this.opts.transport.selfId,
      isAuthority: s.kind === 'authority',
    };
    let next: GameSummary;
    if (s.kind === 'off') next = { ...OFF, ...base };
    else if (!rs) {
      const prev = this.store.getState();
      next = prev.status === 'live' ? { ...prev, ...base } : { ...OFF, ...base, status: 'waiting-host' };
    } else {
      const own = rs.selfSlot === null ? undefined : rs.pucks.find((p) => p.slot === rs.selfSlot);
      next = {
        ...base,
        status: 'live',
        phase: rs.phase,
        round: rs.round,
        roundsTotal: rs.roundsTotal,
        selfSlot: rs.selfSlot,
        selfColor: rs.selfSlot === null ? null : SLOT_COLORS[rs.selfSlot % SLOT_COLORS.length]!,
        role: !own ? 'watcher' : own.status === 'spectator' ? 'spectator' : 'player',
        scoreboard: rs.scoreboard,
        winners: rs.winners,
      };
    }
    const key = JSON.stringify(next);
    if (key === this.summaryKey) return;
    this.summaryKey = key;
    this.store.setState(next, true);
  }
}
