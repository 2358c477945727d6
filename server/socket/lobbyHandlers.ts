import type { Logger } from 'pino';
import * as z from 'zod/mini';
import {
  CreateLobbyInput,
  ErrorCode,
  JoinLobbyInput,
  JoinOrCreateInput,
  KickInput,
  SetLockedInput,
  SetLobbyMetaInput,
  SetPlayerMetaInput,
  SetReadyInput,
  TransferHostInput,
  UpdateSettingsInput,
  WatchBrowserInput,
  fail,
  ok,
  type ClientEventName,
  type IceGrant,
  type Joined,
  type QuickJoined,
  type Result,
} from '../../lib/protocol';
import type { LobbyCommand } from '../lobby/commands';
import { newInviteToken, newPlayerId } from '../lobby/ids';
import type { LobbyQuota } from '../lobby/quota';
import { isMember } from '../lobby/lobby';
import { hashResumeToken, newResumeToken } from '../lobby/resume';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import { toLobbyView } from '../lobby/views';
import type { BrowserFeed } from './browserFeed';
import type { EventTable } from './eventTable';
import type { LocalPlayers } from './localPlayers';
import { connectionIdOf } from '../lobby/connectionId';
import { guardOf } from './guard';
import { acked } from './handle';
import type { Publish } from './publisher';
import type { SeatKeeper } from './seats';
import { browserRoom, lobbyRoom, playerRoom, type IoServer, type IoSocket } from './types';

const Empty = z.strictObject({});

export interface LobbyHandlerDeps {
  io: IoServer;
  lobbies: LobbyService;
  feed: BrowserFeed;
  publish: Publish;
  seats: SeatKeeper;
  /** Live lobbies per creating address. */
  quota: LobbyQuota;
  /** This process, as named in seats' connection ids (the janitor's key to dead instances). */
  instanceId: string;
  log: Logger;
  /** Per member: TURN credentials are bound to the player id, STUN to the page's host (server/turn.ts). */
  iceServers: (playerId: string, hostHeader: string | undefined) => IceGrant;
  publicUrl: string | null;
  /** Where the lobby events' listeners go (one table for every socket). */
  events: EventTable;
  /** This instance's seated sockets by player id (the signal path's direct route). */
  localPlayers: LocalPlayers;
}

/**
 * Wires sockets' lobby events to the LobbyService: validate → authorize → store → ack → broadcast.
 * The listeners are built once here and shared by every socket (`this` is the socket); a socket
 * costs one small state record, not a closure per event.
 */
export function createLobbyHandlers(deps: LobbyHandlerDeps): (socket: IoSocket) => void {
  const { io, lobbies, feed, log, seats } = deps;
  // Per socket, the tail of its lobby events (see `serial`); none yet is as good as a settled one.
  // Kept out of socket.data, which may be serialized.
  const queues = new WeakMap<IoSocket, Promise<unknown>>();
  const settled = Promise.resolve();
  const nothing = () => undefined;
  const broadcast = (lobby: Lobby) => deps.publish(lobby.id, lobby, lobby.game);
  const deleted = (lobbyId: string, game: string) => deps.publish(lobbyId, null, game);
  const done = (r: Result<unknown>): Result<null> => (r.ok ? ok(null) : r);
  const connectionOf = (socket: IoSocket) => connectionIdOf(deps.instanceId, socket.id);

  const leaveRooms = (socket: IoSocket) => {
    const { lobbyId, playerId } = socket.data;
    if (lobbyId) void socket.leave(lobbyRoom(lobbyId));
    if (playerId) {
      void socket.leave(playerRoom(playerId));
      deps.localPlayers.unseat(playerId, socket);
    }
    socket.data.lobbyId = undefined;
    socket.data.playerId = undefined;
    socket.data.game = undefined;
  };

  /** The lobby this socket is in, re-checked against the store (a kick elsewhere may have removed it). */
  const current = async (
    socket: IoSocket,
  ): Promise<{ lobbyId: string; playerId: string; game: string } | null> => {
    const { lobbyId, playerId } = socket.data;
    if (!lobbyId || !playerId) return null;
    const lobby = await lobbies.get(lobbyId);
    if (lobby && isMember(lobby, playerId)) return { lobbyId, playerId, game: lobby.game };
    leaveRooms(socket);
    return null;
  };

  /** Seats this socket (data + rooms) and builds the ack; the caller broadcasts after answering. */
  const seat = (socket: IoSocket, lobby: Lobby, playerId: string, resumeToken: string): Joined => {
    socket.data.lobbyId = lobby.id;
    socket.data.playerId = playerId;
    socket.data.game = lobby.game;
    void socket.join([lobbyRoom(lobby.id), playerRoom(playerId)]);
    deps.localPlayers.seat(playerId, socket);
    return {
      selfId: playerId,
      lobby: toLobbyView(lobby),
      ...deps.iceServers(playerId, socket.data.host),
      publicUrl: deps.publicUrl,
      resumeToken,
    };
  };

  /** Seats a newcomer; the others get the new state, the newcomer has it in its ack. */
  const enter = (socket: IoSocket, lobby: Lobby, playerId: string, resumeToken: string): Result<Joined> => {
    const joined = seat(socket, lobby, playerId, resumeToken);
    deps.publish(lobby.id, lobby, lobby.game, socket.id);
    return ok(joined);
  };

  /** A new member's server-side identity: id, first resume token, this connection. */
  const newSeat = (socket: IoSocket, nickname: string) => {
    const resumeToken = newResumeToken();
    const member = {
      id: newPlayerId(),
      nickname,
      deviceId: socket.data.deviceId,
      resumeHash: hashResumeToken(resumeToken),
      connectionId: connectionOf(socket),
    };
    return { member, resumeToken };
  };

  /** Runs a command as the current member; `toCommand` gets the server-known player id. */
  const act = async (
    socket: IoSocket,
    toCommand: (playerId: string) => LobbyCommand,
  ): Promise<Result<Lobby | null>> => {
    const me = await current(socket);
    if (!me) return fail(ErrorCode.NOT_IN_LOBBY);
    const result = await lobbies.run(me.lobbyId, toCommand(me.playerId));
    if (result.ok && result.data) broadcast(result.data);
    if (result.ok && !result.data) deleted(me.lobbyId, me.game);
    return result;
  };

  // One socket's lobby events run one at a time, disconnect included: two racing creates (or a
  // create and a join) must not both pass the "not in a lobby yet" check, and a disconnect must not
  // read socket.data before an in-flight join has set it; either would leave a ghost member behind.
  const serial = <T>(socket: IoSocket, fn: () => Promise<T>): Promise<T> => {
    const next = (queues.get(socket) ?? settled).then(fn);
    // The tail settles with nothing: `next.catch()` would keep the last answer (a whole Joined) alive.
    queues.set(socket, next.then(nothing, nothing));
    return next;
  };

  const on = <S extends z.core.$ZodType, T>(
    event: ClientEventName,
    schema: S,
    run: (socket: IoSocket, input: z.infer<S>) => Promise<Result<T>>,
  ) =>
    deps.events.add(
      event,
      acked(log, event, schema, (socket, input) => serial(socket, () => run(socket, input))),
    );

  on('lobby:create', CreateLobbyInput, async (socket, input) => {
    if (await current(socket)) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const { member, resumeToken } = newSeat(socket, input.nickname);
    const created = await deps.quota.create(socket.data.address ?? '', () => lobbies.create(member, input));
    return created.ok ? enter(socket, created.data, member.id, resumeToken) : created;
  });

  on('lobby:join', JoinLobbyInput, async (socket, input) => {
    if (await current(socket)) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const { member, resumeToken } = newSeat(socket, input.nickname);
    const joined = await lobbies.join(member, input);
    return joined.ok ? enter(socket, joined.data, member.id, resumeToken) : joined;
  });

  // Quick play. A creation takes a slot of the address's lobby quota like lobby:create; at its cap the
  // player can still join an open lobby, and gets TOO_MANY_LOBBIES only when none is.
  on('lobby:join-or-create', JoinOrCreateInput, async (socket, input): Promise<Result<QuickJoined>> => {
    if (await current(socket)) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const slot = await deps.quota.reserve(socket.data.address ?? '');
    const { member, resumeToken } = newSeat(socket, input.nickname);
    const result = await lobbies.joinOrCreate(member, input, slot !== null).catch((err: unknown) => {
      slot?.release();
      throw err;
    });
    if (!result.ok || !result.data.created) slot?.release();
    if (!result.ok) return result;
    if (result.data.created) slot?.bind(result.data.lobby.id);
    const entered = enter(socket, result.data.lobby, member.id, resumeToken);
    return entered.ok ? ok({ ...entered.data, created: result.data.created }) : entered;
  });

  on('lobby:leave', Empty, async (socket) => {
    const result = await act(socket, (playerId) => ({ type: 'leave', playerId }));
    leaveRooms(socket);
    return done(result);
  });

  on('lobby:ready', SetReadyInput, async (socket, { ready }) =>
    done(await act(socket, (playerId) => ({ type: 'ready', playerId, ready }))),
  );

  on('lobby:kick', KickInput, async (socket, { playerId: target, ban }) => {
    const result = await act(socket, (actor) => ({
      type: 'kick',
      actor,
      target,
      ban,
      nextInviteToken: newInviteToken(),
    }));
    if (result.ok && result.data) {
      io.in(playerRoom(target)).socketsLeave(lobbyRoom(result.data.id));
      io.to(playerRoom(target)).emit('lobby:removed', {
        lobbyId: result.data.id,
        reason: ban ? 'banned' : 'kicked',
      });
    }
    return done(result);
  });

  // A leaked or banned-player-held link stops working; members get the new one in lobby:state.
  on('lobby:rotate-invite', Empty, async (socket) =>
    done(await act(socket, (actor) => ({ type: 'rotate-invite', actor, inviteToken: newInviteToken() }))),
  );

  on('lobby:lock', SetLockedInput, async (socket, { locked }) =>
    done(await act(socket, (actor) => ({ type: 'lock', actor, locked }))),
  );

  on('lobby:transfer', TransferHostInput, async (socket, { playerId: target }) =>
    done(await act(socket, (actor) => ({ type: 'transfer', actor, target }))),
  );

  on('lobby:settings', UpdateSettingsInput, async (socket, settings) =>
    done(await act(socket, (actor) => ({ type: 'settings', actor, settings }))),
  );

  on('lobby:set-meta', SetLobbyMetaInput, async (socket, { meta }) =>
    done(await act(socket, (actor) => ({ type: 'set-meta', actor, meta }))),
  );

  // Only ever the sender's own: the player id is the server-known one, never a payload field.
  on('lobby:set-player-meta', SetPlayerMetaInput, async (socket, { meta }) =>
    done(await act(socket, (playerId) => ({ type: 'set-player-meta', playerId, meta }))),
  );

  on('lobby:start', Empty, async (socket) => done(await act(socket, (actor) => ({ type: 'start', actor }))));
  on('lobby:end', Empty, async (socket) => done(await act(socket, (actor) => ({ type: 'end', actor }))));

  // One game's browser at a time: watching another game's leaves the first.
  on('browser:watch', WatchBrowserInput, async (socket, { watch, game }) => {
    const was = socket.data.browsing;
    if (!watch) {
      if (was) void socket.leave(browserRoom(was));
      socket.data.browsing = undefined;
      return ok([]);
    }
    const rows = await feed.list(game);
    if (!rows.ok) return rows;
    if (was && was !== game) void socket.leave(browserRoom(was));
    socket.data.browsing = game;
    void socket.join(browserRoom(game));
    return rows;
  });

  // A fresh TURN credential before the held one expires (new links and ICE restarts need a valid one).
  // Bound to the member's server-known id, like the ack's; a non-member gets nothing.
  on('ice:refresh', Empty, async (socket) => {
    const me = await current(socket);
    return me ? ok(deps.iceServers(me.playerId, socket.data.host)) : fail(ErrorCode.NOT_IN_LOBBY);
  });

  // Taking a seat back: the handshake carried the last resume token (page refresh, network blip).
  const resume = (socket: IoSocket, resume: NonNullable<IoSocket['data']['resume']>) => {
    void serial(socket, async () => {
      const guard = guardOf(socket);
      const refused = await guard?.admitResume(resume.playerId);
      if (refused) {
        socket.emit('lobby:resume-failed', { error: refused });
        return;
      }
      const nextToken = newResumeToken();
      const result = await lobbies.run(resume.lobbyId, {
        type: 'resume',
        playerId: resume.playerId,
        resumeHash: hashResumeToken(resume.token),
        nextResumeHash: hashResumeToken(nextToken),
        connectionId: connectionOf(socket),
      });
      if (!result.ok || !result.data) {
        const error = result.ok ? ErrorCode.NOT_FOUND : result.error;
        guard?.resumeAnswered(error);
        socket.emit('lobby:resume-failed', { error });
        return;
      }
      guard?.resumeAnswered(null);
      seats.release(resume.playerId);
      // Whatever else held this seat (a duplicated tab, a half-dead socket) loses it now.
      // Never this socket: with an adapter the order reaches this instance after the join below.
      io.in(playerRoom(resume.playerId)).except(socket.id).disconnectSockets(true);
      // The new token first, then everyone's state: the client never sees itself back without it.
      socket.emit('lobby:resumed', seat(socket, result.data, resume.playerId, nextToken));
      broadcast(result.data);
    }).catch((err: unknown) => {
      log.warn({ err }, 'resume failed');
      socket.emit('lobby:resume-failed', { error: ErrorCode.UNAVAILABLE });
    });
  };

  // A lost connection holds the seat for the grace window (an explicit leave is immediate).
  const drop = (socket: IoSocket) => {
    void serial(socket, async () => {
      const { lobbyId, playerId, game } = socket.data;
      if (!lobbyId || !playerId || !game) return;
      const now = Date.now();
      const connectionId = connectionOf(socket);
      if (seats.graceMs <= 0) {
        // Only if this connection still holds the seat: a resume elsewhere may have taken it.
        const result = await lobbies.run(lobbyId, { type: 'leave', playerId, connectionId });
        if (result.ok) deps.publish(lobbyId, result.data, game);
        return;
      }
      const result = await lobbies.run(lobbyId, { type: 'drop', playerId, connectionId, now });
      if (result.ok && result.data) {
        broadcast(result.data);
        seats.hold(result.data, playerId, now);
      }
    }).catch((err: unknown) => log.warn({ err }, 'drop on disconnect failed'));
  };
  function onDisconnect(this: IoSocket) {
    // The seat may be held for the grace window, but nothing can reach this socket any more.
    if (this.data.playerId) deps.localPlayers.unseat(this.data.playerId, this);
    drop(this);
  }

  return (socket) => {
    socket.on('disconnect', onDisconnect);
    const pending = socket.data.resume;
    if (pending) {
      socket.data.resume = undefined;
      resume(socket, pending);
    }
  };
}
