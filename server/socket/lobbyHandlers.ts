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
import { hashResumeToken, newResumeToken } from '../lobby/resume';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import { toLobbyView } from '../lobby/views';
import type { BrowserFeed } from './browserFeed';
import { connectionIdOf } from '../scale/connectionId';
import { handle } from './handle';
import type { Publish } from './publisher';
import type { SeatKeeper } from './seats';
import { BROWSER_ROOM, lobbyRoom, playerRoom, type IoServer, type IoSocket } from './types';

const Empty = z.strictObject({});
const Watch = z.strictObject({ watch: z.boolean() });

export interface LobbyHandlerDeps {
  io: IoServer;
  lobbies: LobbyService;
  feed: BrowserFeed;
  publish: Publish;
  seats: SeatKeeper;
  /** This process, as named in seats' connection ids (the janitor's key to dead instances). */
  instanceId: string;
  log: Logger;
  /** Per member: TURN credentials are bound to the player id (server/turn.ts). */
  iceServers: (playerId: string) => IceServer[];
  publicUrl: string | null;
}

/** Wires one socket's lobby events to the LobbyService: validate → authorize → store → ack → broadcast. */
export function registerLobbyHandlers(socket: IoSocket, deps: LobbyHandlerDeps) {
  const { io, lobbies, feed, log, seats } = deps;
  const broadcast = (lobby: Lobby) => deps.publish(lobby.id, lobby);
  const connectionId = connectionIdOf(deps.instanceId, socket.id);

  /** The lobby this socket is in, re-checked against the store (a kick elsewhere may have removed it). */
  const current = async (): Promise<{ lobbyId: string; playerId: string } | null> => {
    const { lobbyId, playerId } = socket.data;
    if (!lobbyId || !playerId) return null;
    const lobby = await lobbies.get(lobbyId);
    if (lobby && isMember(lobby, playerId)) return { lobbyId, playerId };
    leaveRooms();
    return null;
  };

  /** Seats this socket (data + rooms) and builds the ack; the caller broadcasts after answering. */
  const seat = (lobby: Lobby, playerId: string, resumeToken: string): Joined => {
    socket.data.lobbyId = lobby.id;
    socket.data.playerId = playerId;
    void socket.join([lobbyRoom(lobby.id), playerRoom(playerId)]);
    return {
      selfId: playerId,
      lobby: toLobbyView(lobby),
      iceServers: deps.iceServers(playerId),
      publicUrl: deps.publicUrl,
      resumeToken,
    };
  };

  const enter = (lobby: Lobby, playerId: string, resumeToken: string): Result<Joined> => {
    const joined = seat(lobby, playerId, resumeToken);
    broadcast(lobby);
    return ok(joined);
  };

  /** A new member's server-side identity: id, first resume token, this connection. */
  const newSeat = (nickname: string) => {
    const resumeToken = newResumeToken();
    const member = {
      id: newPlayerId(),
      nickname,
      deviceId: socket.data.deviceId,
      resumeHash: hashResumeToken(resumeToken),
      connectionId,
    };
    return { member, resumeToken };
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
    if (result.ok && !result.data) deleted(me.lobbyId);
    return result;
  };
  const deleted = (lobbyId: string) => deps.publish(lobbyId, null);
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
    const { member, resumeToken } = newSeat(input.nickname);
    const created = await lobbies.create(member, input);
    return created.ok ? enter(created.data, member.id, resumeToken) : created;
  });

  on('lobby:join', JoinLobbyInput, async (input) => {
    if (await current()) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const { member, resumeToken } = newSeat(input.nickname);
    const joined = await lobbies.join(member, input);
    return joined.ok ? enter(joined.data, member.id, resumeToken) : joined;
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

  // Taking a seat back: the handshake carried the last resume token (page refresh, network blip).
  const resume = socket.data.resume;
  socket.data.resume = undefined;
  if (resume) {
    void serial(async () => {
      const nextToken = newResumeToken();
      const result = await lobbies.run(resume.lobbyId, {
        type: 'resume',
        playerId: resume.playerId,
        resumeHash: hashResumeToken(resume.token),
        nextResumeHash: hashResumeToken(nextToken),
        connectionId,
      });
      if (!result.ok || !result.data) {
        socket.emit('lobby:resume-failed', { error: result.ok ? ErrorCode.NOT_FOUND : result.error });
        return;
      }
      seats.release(resume.playerId);
      // Whatever else held this seat (a duplicated tab, a half-dead socket) loses it now.
      // Never this socket: with an adapter the order reaches this instance after the join below.
      io.in(playerRoom(resume.playerId)).except(socket.id).disconnectSockets(true);
      // The new token first, then everyone's state: the client never sees itself back without it.
      socket.emit('lobby:resumed', seat(result.data, resume.playerId, nextToken));
      broadcast(result.data);
    }).catch((err: unknown) => {
      log.warn({ err }, 'resume failed');
      socket.emit('lobby:resume-failed', { error: ErrorCode.UNAVAILABLE });
    });
  }

  // A lost connection holds the seat for the grace window (an explicit leave is immediate).
  socket.on('disconnect', () => {
    void serial(async () => {
      const { lobbyId, playerId } = socket.data;
      if (!lobbyId || !playerId) return;
      const now = Date.now();
      if (seats.graceMs <= 0) {
        const result = await lobbies.run(lobbyId, { type: 'leave', playerId });
        if (result.ok) deps.publish(lobbyId, result.data);
        return;
      }
      const result = await lobbies.run(lobbyId, { type: 'drop', playerId, connectionId, now });
      if (result.ok && result.data) {
        broadcast(result.data);
        seats.hold(lobbyId, playerId, now);
      }
    }).catch((err: unknown) => log.warn({ err }, 'drop on disconnect failed'));
  });
}
