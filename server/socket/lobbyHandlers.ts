import type { Logger } from 'pino';
import { z } from 'zod';
import {
  CreateLobbyInput,
  ErrorCode,
  JoinLobbyInput,
  KickInput,
  SetLockedInput,
  SetReadyInput,
  TransferHostInput,
  UpdateSettingsInput,
  fail,
  ok,
  type ClientEventName,
  type IceServer,
  type Joined,
  type Result,
} from '../../lib/protocol';
import type { LobbyCommand } from '../lobby/commands';
import { newPlayerId } from '../lobby/ids';
import { isMember } from '../lobby/lobby';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import { toLobbyView } from '../lobby/views';
import type { BrowserFeed } from './browserFeed';
import { handle } from './handle';
import { BROWSER_ROOM, lobbyRoom, playerRoom, type IoServer, type IoSocket } from './types';

const Empty = z.strictObject({});
const Watch = z.strictObject({ watch: z.boolean() });

export interface LobbyHandlerDeps {
  io: IoServer;
  lobbies: LobbyService;
  feed: BrowserFeed;
  log: Logger;
  /** Per member: TURN credentials are bound to the player id (server/turn.ts). */
  iceServers: (playerId: string) => IceServer[];
  publicUrl: string | null;
}

/** Wires one socket's lobby events to the LobbyService: validate → authorize → store → ack → broadcast. */
export function registerLobbyHandlers(socket: IoSocket, deps: LobbyHandlerDeps) {
  const { io, lobbies, feed, log } = deps;

  const broadcast = (lobby: Lobby) => {
    io.to(lobbyRoom(lobby.id)).emit('lobby:state', toLobbyView(lobby));
    feed.markDirty();
  };

  /** The lobby this socket is in, re-checked against the store (a kick elsewhere may have removed it). */
  const current = async (): Promise<{ lobbyId: string; playerId: string } | null> => {
    const { lobbyId, playerId } = socket.data;
    if (!lobbyId || !playerId) return null;
    const lobby = await lobbies.get(lobbyId);
    if (lobby && isMember(lobby, playerId)) return { lobbyId, playerId };
    leaveRooms();
    return null;
  };

  const enter = (lobby: Lobby, playerId: string): Result<Joined> => {
    socket.data.lobbyId = lobby.id;
    socket.data.playerId = playerId;
    void socket.join([lobbyRoom(lobby.id), playerRoom(playerId)]);
    broadcast(lobby);
    return ok({ selfId: playerId, lobby: toLobbyView(lobby), iceServers: deps.iceServers(playerId), publicUrl: deps.publicUrl });
  };

  const leaveRooms = () => {
    const { lobbyId, playerId } = socket.data;
    if (lobbyId) void socket.leave(lobbyRoom(lobbyId));
    if (playerId) void socket.leave(playerRoom(playerId));
    socket.data.lobbyId = undefined;
    socket.data.playerId = undefined;
  };

  /** Runs a command as the current member; `toCommand` gets the server-known player id. */
  const act = async (toCommand: (playerId: string) => LobbyCommand): Promise<Result<Lobby | null>> => {
    const me = await current();
    if (!me) return fail(ErrorCode.NOT_IN_LOBBY);
    const result = await lobbies.run(me.lobbyId, toCommand(me.playerId));
    if (result.ok && result.data) broadcast(result.data);
    if (result.ok && !result.data) feed.markDirty();
    return result;
  };
  const done = (r: Result<unknown>): Result<null> => (r.ok ? ok(null) : r);

  // One socket's lobby events run one at a time, disconnect included: two racing creates (or a
  // create and a join) must not both pass the "not in a lobby yet" check, and a disconnect must not
  // read socket.data before an in-flight join has set it; either would leave a ghost member behind.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const on = <S extends z.ZodType, T>(event: ClientEventName, schema: S, run: (input: z.infer<S>) => Promise<Result<T>>) =>
    handle(socket, log, event, schema, (input) => serial(() => run(input)));

  on('lobby:create', CreateLobbyInput, async (input) => {
    if (await current()) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const playerId = newPlayerId();
    const created = await lobbies.create({ id: playerId, nickname: input.nickname, deviceId: socket.data.deviceId }, input);
    return created.ok ? enter(created.data, playerId) : created;
  });

  on('lobby:join', JoinLobbyInput, async (input) => {
    if (await current()) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const playerId = newPlayerId();
    const joined = await lobbies.join({ id: playerId, nickname: input.nickname, deviceId: socket.data.deviceId }, input);
    return joined.ok ? enter(joined.data, playerId) : joined;
  });

  on('lobby:leave', Empty, async () => {
    const result = await act((playerId) => ({ type: 'leave', playerId }));
    leaveRooms();
    return done(result);
  });

  on('lobby:ready', SetReadyInput, async ({ ready }) =>
    done(await act((playerId) => ({ type: 'ready', playerId, ready }))),
  );

  on('lobby:kick', KickInput, async ({ playerId: target, ban }) => {
    const result = await act((actor) => ({ type: 'kick', actor, target, ban }));
    if (result.ok && result.data) {
      io.in(playerRoom(target)).socketsLeave(lobbyRoom(result.data.id));
      io.to(playerRoom(target)).emit('lobby:removed', { lobbyId: result.data.id, reason: ban ? 'banned' : 'kicked' });
    }
    return done(result);
  });

  on('lobby:lock', SetLockedInput, async ({ locked }) =>
    done(await act((actor) => ({ type: 'lock', actor, locked }))),
  );

  on('lobby:transfer', TransferHostInput, async ({ playerId: target }) =>
    done(await act((actor) => ({ type: 'transfer', actor, target }))),
  );

  on('lobby:settings', UpdateSettingsInput, async (settings) =>
    done(await act((actor) => ({ type: 'settings', actor, settings }))),
  );

  on('lobby:start', Empty, async () => done(await act((actor) => ({ type: 'start', actor }))));
  on('lobby:end', Empty, async () => done(await act((actor) => ({ type: 'end', actor }))));

  on('browser:watch', Watch, async ({ watch }) => {
    if (!watch) {
      void socket.leave(BROWSER_ROOM);
      return ok([]);
    }
    void socket.join(BROWSER_ROOM);
    return ok(await feed.list());
  });

  // Without a seat grace (resilience issue), a lost connection is a leave.
  socket.on('disconnect', () => {
    void serial(async () => {
      const { lobbyId, playerId } = socket.data;
      if (!lobbyId || !playerId) return;
      const result = await lobbies.run(lobbyId, { type: 'leave', playerId });
      if (result.ok && result.data) broadcast(result.data);
      else if (result.ok) feed.markDirty();
    }).catch((err: unknown) => log.warn({ err }, 'leave on disconnect failed'));
  });
}
