/**
 * One page's part in the lobby's game: decides from the lobby view when a match runs, who simulates
 * it (see authority.ts), and owns the GameClient (every page) and the GameHost (the authority's page
 * only). React creates one per mounted game panel and calls close() in the effect cleanup; it reads
 * a small summary store and calls frame(now) once per animation frame.
 *
 * Seats: a member whose presence is 'dropped' keeps their puck (it stands still) for the seat grace
 * window; only a final leave removes it. A member who joins mid-round watches until the next round
 * (the simulation decides that; see sim.ts addPlayer).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { GameClient, GameHost, SLOT_COLORS, type GameScheduler, type GameTransport, type Phase, type PlayerInput } from '../../game';
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
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly opts: GameSessionOptions) {}

  start(): void {
    if (this.status !== 'idle') return;
    this.status = 'running';
    this.disposers.push(this.opts.lobby.on('lobby', (lobby, selfId) => this.follow(lobby, selfId)));
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
    if (!lobby || !authority) {
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
    if (authority !== selfId && this.host) {
      this.host.close();
      this.host = null;
    }
    if (authority === selfId && !this.host) this.takeAuthority(lobby, this.client);
    else if (this.host) this.reconcile(this.host, lobby);
    this.publish(null);
  }

  /**
   * Continue from the newest snapshot this page holds (host migration); with none — a new match, or
   * this page was reloaded while it is the authority — start a new match with every member.
   */
  private takeAuthority(lobby: LobbyView, client: GameClient): void {
    const { transport, scheduler } = this.opts;
    const snapshot = client.latestSnapshot;
    const host = snapshot
      ? GameHost.fromSnapshot(snapshot, client.roster, { transport, scheduler })
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

  private stopMatch(): void {
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
