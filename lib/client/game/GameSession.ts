/**
 * One page's part in the lobby's game: decides from the lobby view when a match runs, who simulates
 * it (see authority.ts), and owns the GameClient (every page) and the GameHost (the authority's page
 * only). React creates one per mounted game panel and calls close() in the effect cleanup; it reads
 * a small summary store and calls frame(now) once per animation frame.
 *
 * Handoff: a page that stops being the authority while the new one is present (the lobby host came
 * back after a reload, or the host role was transferred) sends it the roster and its last snapshot
 * over the reliable channel. A page that loaded into a running game and is the authority waits up to
 * HANDOFF_WAIT_MS for one before it starts a new match.
 *
 * Seats: a member whose presence is 'dropped' keeps their puck (it stands still) for the seat grace
 * window; only a final leave removes it. A member who joins mid-round watches until the next round
 * (the simulation decides that; see sim.ts addPlayer).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { GameClient, GameHost, SLOT_COLORS, type GameScheduler, type GameTransport, type Phase, type PlayerInput } from '../../game';
import { CODEC_VERSION, decodeReliable, decodeSnapshot, encodeReliable, encodeSnapshot, MessageKind, peekKind, type RosterEntry, type Snapshot } from '../../game/codec';
import type { RenderState, ScoreLine } from '../../game/renderState';
import type { LobbyView } from '../../protocol';
import { gameAuthority } from './authority';

/** What a GameSession needs of the lobby: LobbyClient satisfies it. */
export interface LobbySource {
  readonly currentLobby: LobbyView | null;
  readonly playerId: string | null;
  on(event: 'lobby', fn: (lobby: LobbyView | null, selfId: string | null) => void): () => void;
}

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

type SessionStatus = 'idle' | 'running' | 'closed';
/** How long an authority that loaded into a running game waits for the previous one's state. */
export const HANDOFF_WAIT_MS = 1500;

/** `fresh`: this page saw the lobby waiting, so the next game is a new match. */
type Arrival = 'fresh' | 'mid-game';
type Takeover = { kind: 'none' } | { kind: 'waiting'; cancel: () => void };

function cryptoSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

export class GameSession {
  readonly store: StoreApi<GameSummary> = createStore<GameSummary>()(() => OFF);
  private status: SessionStatus = 'idle';
  private client: GameClient | null = null;
  private host: GameHost | null = null;
  private authority: string | null = null;
  private summaryKey = '';
  private arrival: Arrival | null = null;
  private takeover: Takeover = { kind: 'none' };
  /** The last handoff received (roster, then snapshot, from the previous authority). */
  private handoffRoster: RosterEntry[] | null = null;
  private handoff: { snapshot: Snapshot; roster: RosterEntry[] } | null = null;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly opts: GameSessionOptions) {}

  start(): void {
    if (this.status !== 'idle') return;
    this.status = 'running';
    this.disposers.push(this.opts.lobby.on('lobby', (lobby, selfId) => this.follow(lobby, selfId)));
    this.disposers.push(this.opts.transport.onMessage((from, channel, data) => this.receiveHandoff(from, channel, data)));
    this.follow(this.opts.lobby.currentLobby, this.opts.lobby.playerId);
  }

  close(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    for (const dispose of this.disposers.splice(0)) dispose();
    this.stopMatch();
  }

  /** Whether this page runs the simulation now. */
  get isAuthority(): boolean {
    return this.host !== null;
  }

  /** The frame to draw at `nowMs` (same clock as the scheduler); also refreshes the summary store. */
  frame(nowMs: number): RenderState | null {
    const rs = this.client?.renderState(nowMs) ?? null;
    this.publish(rs);
    return rs;
  }

  /** The newest snapshot's tick (a test hook: it keeps advancing while someone simulates). */
  get tick(): number | null {
    return this.client?.latestSnapshot?.state.tick ?? null;
  }

  requestRematch(): void {
    this.client?.requestRematch();
  }

  private follow(lobby: LobbyView | null, selfId: string | null): void {
    if (this.status !== 'running') return;
    const authority = lobby && selfId && lobby.phase === 'in-game' ? gameAuthority(lobby) : null;
    this.arrival ??= lobby?.phase === 'in-game' ? 'mid-game' : 'fresh';
    if (!lobby || !authority) {
      if (lobby?.phase === 'waiting') this.arrival = 'fresh';
      this.stopMatch();
      this.publish(null);
      return;
    }
    const { transport, scheduler, readInput } = this.opts;
    if (!this.client) {
      this.client = new GameClient({ transport, scheduler, hostId: authority, readInput });
      this.client.start();
    } else {
      // Listen to the new authority before it (maybe this page) starts broadcasting.
      this.client.setHost(authority);
    }
    this.authority = authority;
    if (authority !== selfId) {
      this.cancelTakeover();
      if (this.host) this.handOver(this.host, authority, lobby);
    }
    if (authority === selfId && !this.host && this.takeover.kind === 'none') this.takeAuthority(lobby, this.client);
    else if (this.host) this.reconcile(this.host, lobby);
    this.publish(null);
  }

  /**
   * Continue from the newest snapshot this page holds (host migration); with none — a new match, or
   * this page was reloaded while it is the authority — start a new match with every member.
   */
  private takeAuthority(lobby: LobbyView, client: GameClient): void {
    const { transport, scheduler } = this.opts;
    const own = client.latestSnapshot ? { snapshot: client.latestSnapshot, roster: client.roster } : null;
    const from = own ?? this.handoff;
    if (!from && this.arrival === 'mid-game') {
      const cancel = scheduler.every(HANDOFF_WAIT_MS, () => {
        // No handoff came: nobody holds the match any more; start a new one.
        this.cancelTakeover();
        this.arrival = 'fresh';
        const current = this.opts.lobby.currentLobby;
        if (current && this.client) this.follow(current, this.opts.lobby.playerId);
      });
      this.takeover = { kind: 'waiting', cancel };
      // Ask everyone: a page still holding the last snapshot answers with it (see receiveHandoff).
      transport.broadcast('reliable', encodeReliable({ t: 'hello', v: CODEC_VERSION }));
      return;
    }
    this.handoff = null;
    const host = from
      ? GameHost.fromSnapshot(from.snapshot, from.roster, { transport, scheduler })
      : GameHost.create({
          transport,
          scheduler,
          players: lobby.members.map((m) => ({ id: m.id, nickname: m.nickname })),
          seed: (this.opts.randomSeed ?? cryptoSeed)(),
          roundsTotal: this.opts.roundsTotal,
        });
    this.reconcile(host, lobby);
    this.host = host;
    host.start();
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
    this.host = null;
    if (lobby.members.some((m) => m.id === to && m.presence === 'present')) this.sendState(to, snapshot, roster);
  }

  private sendState(to: string, snapshot: Snapshot | null, roster: RosterEntry[]): void {
    if (!snapshot || roster.length === 0) return;
    this.opts.transport.send(to, 'reliable', encodeReliable({ t: 'roster', v: CODEC_VERSION, players: roster }));
    this.opts.transport.send(to, 'reliable', encodeSnapshot(snapshot));
  }

  /** A handoff is the only binary message on the reliable channel (snapshots travel unreliable). */
  private receiveHandoff(from: string, channel: string, data: string | Uint8Array): void {
    if (channel !== 'reliable' || from === this.opts.transport.selfId || !this.client) return;
    if (typeof data === 'string') {
      const msg = decodeReliable(data);
      if (!msg.ok) return;
      if (msg.value.t === 'roster') this.handoffRoster = msg.value.players;
      // Clients say hello only to their host, so a hello from the authority to a page that is not
      // simulating is its request for the state it lacks.
      if (msg.value.t === 'hello' && from === this.authority && !this.host) this.sendState(from, this.client.latestSnapshot, this.client.roster);
      return;
    }
    if (peekKind(data) !== MessageKind.SNAPSHOT || !this.handoffRoster) return;
    const snap = decodeSnapshot(data);
    if (!snap.ok) return;
    this.handoff = { snapshot: snap.value, roster: this.handoffRoster };
    if (this.takeover.kind !== 'waiting') return;
    this.cancelTakeover();
    const lobby = this.opts.lobby.currentLobby;
    if (lobby) this.follow(lobby, this.opts.lobby.playerId);
  }

  private cancelTakeover(): void {
    if (this.takeover.kind === 'waiting') this.takeover.cancel();
    this.takeover = { kind: 'none' };
  }

  private stopMatch(): void {
    this.cancelTakeover();
    this.handoff = null;
    this.handoffRoster = null;
    this.host?.close();
    this.host = null;
    this.client?.close();
    this.client = null;
    this.authority = null;
  }

  /** Writes the summary only when something in it changed (React re-renders on every write). */
  private publish(rs: RenderState | null): void {
    const base = {
      authorityId: this.authority,
      isAuthority: this.host !== null,
    };
    let next: GameSummary;
    if (!this.client) next = { ...OFF, ...base };
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
