// bench/signaling/server.ts
import { writeHeapSnapshot } from "node:v8";

// server/app.ts
import { createServer } from "node:http";
import { Server } from "socket.io";

// lib/protocol/errors.ts
var ErrorCode = {
  INVALID_PAYLOAD: "INVALID_PAYLOAD",
  PROTOCOL_MISMATCH: "PROTOCOL_MISMATCH",
  /** One uniform answer for wrong codes, wrong tokens and private lobbies: nothing to enumerate. */
  NOT_FOUND: "NOT_FOUND",
  FULL: "FULL",
  LOCKED: "LOCKED",
  BANNED: "BANNED",
  NOT_IN_LOBBY: "NOT_IN_LOBBY",
  ALREADY_IN_LOBBY: "ALREADY_IN_LOBBY",
  FORBIDDEN: "FORBIDDEN",
  NOT_READY: "NOT_READY",
  BAD_STATE: "BAD_STATE",
  PEER_NOT_FOUND: "PEER_NOT_FOUND",
  TOO_LARGE: "TOO_LARGE",
  RATE_LIMITED: "RATE_LIMITED",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL"
};
var ok = (data) => ({ ok: true, data });
var fail = (error) => ({ ok: false, error });
function assertNever(value) {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

// lib/protocol/limits.ts
var PROTOCOL_VERSION = 1;
var MIN_LOBBY_SIZE = 2;
var MAX_LOBBY_SIZE = 16;
var DEFAULT_LOBBY_SIZE = 8;
var MAX_NICKNAME_CHARS = 32;
var MAX_LOBBY_NAME_CHARS = 40;
var LOBBY_CODE_LENGTH = 6;
var LOBBY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
var INVITE_TOKEN_BYTES = 16;
var MAX_PACKET_BYTES = 64 * 1024;
var MAX_SIGNAL_BYTES = 16 * 1024;
var MAX_RELAY_BYTES = 16 * 1024;
var DEFAULT_SEAT_GRACE_MS = 3e4;
var RESUME_TOKEN_BYTES = 16;
var MAX_CANDIDATE_CHARS = 1024;
var SIGNAL_RATE_POINTS = 400;
var SIGNAL_RATE_WINDOW_MS = 1e4;
var RELAY_RATE_MESSAGES = 2e3;
var RELAY_RATE_BYTES = 4 * 1024 * 1024;
var RELAY_RATE_WINDOW_MS = 1e4;

// lib/protocol/schemas.ts
import { z } from "zod";

// lib/protocol/text.ts
var CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
function cleanText(input) {
  return input.normalize("NFC").replace(CONTROL_OR_FORMAT, "");
}
function cleanLine(input) {
  return cleanText(input).replace(/\s+/gu, " ").trim();
}

// lib/protocol/schemas.ts
var line = (max) => z.string().max(max * 4).transform(cleanLine).pipe(z.string().min(1).max(max));
var Nickname = line(MAX_NICKNAME_CHARS);
var LobbyName = line(MAX_LOBBY_NAME_CHARS);
var codeChars = new RegExp(`^[${LOBBY_CODE_ALPHABET}]{${LOBBY_CODE_LENGTH}}$`);
var LobbyCode = z.string().max(16).transform((s) => s.trim().toUpperCase()).pipe(z.string().regex(codeChars));
var InviteToken = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
var PlayerId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);
var Visibility = z.enum(["public", "private"]);
var MaxPlayers = z.number().int().min(MIN_LOBBY_SIZE).max(MAX_LOBBY_SIZE);
var CreateLobbyInput = z.strictObject({
  nickname: Nickname,
  name: LobbyName,
  visibility: Visibility,
  maxPlayers: MaxPlayers.default(DEFAULT_LOBBY_SIZE)
});
var JoinLobbyInput = z.union([
  z.strictObject({ nickname: Nickname, code: LobbyCode }),
  z.strictObject({ nickname: Nickname, invite: InviteToken })
]);
var SetReadyInput = z.strictObject({ ready: z.boolean() });
var KickInput = z.strictObject({ playerId: PlayerId, ban: z.boolean().default(false) });
var SetLockedInput = z.strictObject({ locked: z.boolean() });
var TransferHostInput = z.strictObject({ playerId: PlayerId });
var UpdateSettingsInput = z.strictObject({
  name: LobbyName.optional(),
  visibility: Visibility.optional(),
  maxPlayers: MaxPlayers.optional()
}).refine((s) => Object.keys(s).length > 0, "no setting given");
var ResumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
var HandshakeAuth = z.object({
  protocolVersion: z.number().int(),
  deviceKey: z.string().max(128).optional(),
  /** A seat to take back: the lobby, the player id and the last resume token. */
  resume: z.strictObject({ lobbyId: z.string().max(32), playerId: PlayerId, token: ResumeTokenSchema }).optional().catch(void 0)
});

// lib/protocol/signaling.ts
import { z as z2 } from "zod";
var NegotiationId = z2.number().int().min(0).max(2 ** 31 - 1);
var SessionDescription = z2.strictObject({
  type: z2.enum(["offer", "answer"]),
  sdp: z2.string().max(MAX_SIGNAL_BYTES)
});
var IceCandidate = z2.strictObject({
  candidate: z2.string().max(MAX_CANDIDATE_CHARS),
  sdpMid: z2.string().max(64).nullable(),
  sdpMLineIndex: z2.number().int().min(0).max(1024).nullable(),
  usernameFragment: z2.string().max(256).nullable().optional()
});
var SignalPayload = z2.discriminatedUnion("type", [
  z2.strictObject({ type: z2.literal("description"), description: SessionDescription }),
  z2.strictObject({ type: z2.literal("candidate"), candidate: IceCandidate })
]);
var SignalInput = z2.object({ to: PlayerId, negotiationId: NegotiationId, signal: SignalPayload });
var SignalMessage = z2.object({ from: PlayerId, negotiationId: NegotiationId, signal: SignalPayload });
var RelayData = z2.custom(
  (v) => (v instanceof Uint8Array || v instanceof ArrayBuffer) && v.byteLength > 0 && v.byteLength <= MAX_RELAY_BYTES,
  { message: "binary frame of 1..MAX_RELAY_BYTES bytes" }
);
var RelayInput = z2.object({ to: PlayerId, data: RelayData });
var RelayMessage = z2.object({ from: PlayerId, data: RelayData });

// server/identity.ts
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
var DeviceKeys = class {
  constructor(secret) {
    this.secret = secret;
  }
  secret;
  issue() {
    const deviceId = randomBytes(12).toString("base64url");
    return { deviceId, key: `${deviceId}.${this.sign(deviceId)}` };
  }
  /** The device id of a valid key, or null. */
  verify(key) {
    if (!key) return null;
    const [deviceId, mac, ...rest] = key.split(".");
    if (rest.length || !deviceId || !mac || !/^[A-Za-z0-9_-]{16}$/.test(deviceId)) return null;
    const expected = Buffer.from(this.sign(deviceId));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
  }
  sign(deviceId) {
    return createHmac("sha256", this.secret).update(deviceId).digest("base64url").slice(0, 32);
  }
};

// server/lobby/ids.ts
import { randomBytes as randomBytes2, randomInt } from "node:crypto";
function newLobbyCode() {
  let code = "";
  for (let i = 0; i < LOBBY_CODE_LENGTH; i++) code += LOBBY_CODE_ALPHABET[randomInt(LOBBY_CODE_ALPHABET.length)];
  return code;
}
var newInviteToken = () => randomBytes2(INVITE_TOKEN_BYTES).toString("base64url");
var newPlayerId = () => randomBytes2(12).toString("base64url");
var newLobbyId = () => randomBytes2(12).toString("base64url");

// server/lobby/lobby.ts
function createLobby(init) {
  return {
    id: init.id,
    code: init.code,
    inviteToken: init.inviteToken,
    name: init.name,
    visibility: init.visibility,
    maxPlayers: init.maxPlayers,
    locked: false,
    phase: "waiting",
    hostId: init.host.id,
    members: [newMember(init.host, init.now)],
    bannedDevices: [],
    bannedPlayers: [],
    version: 1,
    createdAt: init.now
  };
}
function newMember(m, now) {
  return {
    id: m.id,
    nickname: m.nickname,
    deviceId: m.deviceId,
    ready: false,
    joinedAt: now,
    presence: { kind: "present" },
    resumeHash: m.resumeHash ?? "",
    connectionId: m.connectionId ?? ""
  };
}
var isMember = (lobby, playerId) => lobby.members.some((m) => m.id === playerId);
var isFull = (lobby) => lobby.members.length >= lobby.maxPlayers;
function applyCommand(lobby, cmd) {
  const next = reduce(lobby, cmd);
  if (!next.ok || next.data === null) return next;
  return ok({ ...next.data, version: lobby.version + 1 });
}
function reduce(lobby, cmd) {
  switch (cmd.type) {
    case "join":
      return join(lobby, cmd.member, cmd.via, cmd.now);
    case "leave":
      return removeMember(lobby, cmd.playerId);
    case "drop": {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      if (!m) return fail(ErrorCode.NOT_IN_LOBBY);
      if (m.connectionId !== cmd.connectionId || m.presence.kind === "dropped") return fail(ErrorCode.BAD_STATE);
      return ok(mapMember(lobby, m.id, (x) => ({ ...x, presence: { kind: "dropped", since: cmd.now } })));
    }
    case "resume": {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      if (!m || !m.resumeHash || m.resumeHash !== cmd.resumeHash) return fail(ErrorCode.NOT_FOUND);
      return ok(
        mapMember(lobby, m.id, (x) => ({
          ...x,
          presence: { kind: "present" },
          resumeHash: cmd.nextResumeHash,
          connectionId: cmd.connectionId
        }))
      );
    }
    case "expire": {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      if (!m || m.presence.kind !== "dropped" || m.presence.since !== cmd.since) return fail(ErrorCode.BAD_STATE);
      return removeMember(lobby, cmd.playerId);
    }
    case "ready": {
      if (!isMember(lobby, cmd.playerId)) return fail(ErrorCode.NOT_IN_LOBBY);
      return ok(mapMember(lobby, cmd.playerId, (m) => ({ ...m, ready: cmd.ready })));
    }
    case "kick": {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      const target2 = lobby.members.find((m) => m.id === cmd.target);
      if (!target2 || cmd.target === cmd.actor) return fail(ErrorCode.PEER_NOT_FOUND);
      const removed = removeMember(lobby, cmd.target);
      if (!removed.ok || !removed.data || !cmd.ban) return removed;
      return ok({
        ...removed.data,
        bannedDevices: [...removed.data.bannedDevices, target2.deviceId],
        bannedPlayers: [...removed.data.bannedPlayers, target2.id]
      });
    }
    case "lock": {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      return ok({ ...lobby, locked: cmd.locked });
    }
    case "transfer": {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      if (cmd.target === cmd.actor || !isMember(lobby, cmd.target)) return fail(ErrorCode.PEER_NOT_FOUND);
      return ok({ ...lobby, hostId: cmd.target });
    }
    case "settings": {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      const { name, visibility, maxPlayers } = cmd.settings;
      if (maxPlayers !== void 0 && maxPlayers < lobby.members.length) return fail(ErrorCode.BAD_STATE);
      return ok({
        ...lobby,
        name: name ?? lobby.name,
        visibility: visibility ?? lobby.visibility,
        maxPlayers: maxPlayers ?? lobby.maxPlayers
      });
    }
    case "start": {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      if (lobby.phase !== "waiting") return fail(ErrorCode.BAD_STATE);
      const others = lobby.members.filter((m) => m.id !== lobby.hostId);
      if (others.length === 0 || others.some((m) => !m.ready)) return fail(ErrorCode.NOT_READY);
      return ok({ ...lobby, phase: "in-game" });
    }
    case "end": {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      if (lobby.phase !== "in-game") return fail(ErrorCode.BAD_STATE);
      return ok({ ...lobby, phase: "waiting", members: lobby.members.map((m) => ({ ...m, ready: false })) });
    }
    default:
      return assertNever(cmd);
  }
}
function join(lobby, member, via, now) {
  if (via === "code" && lobby.visibility === "private") return fail(ErrorCode.NOT_FOUND);
  if (isMember(lobby, member.id)) return fail(ErrorCode.ALREADY_IN_LOBBY);
  if (lobby.bannedDevices.includes(member.deviceId) || lobby.bannedPlayers.includes(member.id)) {
    return fail(ErrorCode.BANNED);
  }
  if (lobby.locked) return fail(ErrorCode.LOCKED);
  if (isFull(lobby)) return fail(ErrorCode.FULL);
  return ok({ ...lobby, members: [...lobby.members, newMember(member, now)] });
}
function removeMember(lobby, playerId) {
  if (!isMember(lobby, playerId)) return fail(ErrorCode.NOT_IN_LOBBY);
  const members = lobby.members.filter((m) => m.id !== playerId);
  const first = members[0];
  if (!first) return ok(null);
  const hostId = lobby.hostId === playerId ? first.id : lobby.hostId;
  return ok({ ...lobby, members, hostId });
}
function checkHost(lobby, actor) {
  if (!isMember(lobby, actor)) return fail(ErrorCode.NOT_IN_LOBBY);
  if (lobby.hostId !== actor) return fail(ErrorCode.FORBIDDEN);
  return null;
}
function mapMember(lobby, id, fn) {
  return { ...lobby, members: lobby.members.map((m) => m.id === id ? fn(m) : m) };
}

// server/lobby/service.ts
var MAX_CODE_ATTEMPTS = 8;
var LobbyService = class {
  constructor(store, now = Date.now) {
    this.store = store;
    this.now = now;
  }
  store;
  now;
  async create(host, input) {
    for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      const lobby = createLobby({
        id: newLobbyId(),
        code: newLobbyCode(),
        inviteToken: newInviteToken(),
        name: input.name,
        visibility: input.visibility,
        maxPlayers: input.maxPlayers,
        host,
        now: this.now()
      });
      if (await this.store.insert(lobby)) return ok(lobby);
    }
    return fail(ErrorCode.UNAVAILABLE);
  }
  async join(member, input) {
    const via = "code" in input ? "code" : "invite";
    const id = "code" in input ? await this.store.idByCode(input.code) : await this.store.idByInvite(input.invite);
    if (!id) return fail(ErrorCode.NOT_FOUND);
    const result = await this.store.update(
      id,
      (lobby) => applyCommand(lobby, { type: "join", member, via, now: this.now() })
    );
    if (!result.ok) return result;
    return result.data ? ok(result.data) : fail(ErrorCode.INTERNAL);
  }
  /** Runs a command on a lobby; `null` data means the lobby was deleted. */
  run(lobbyId, cmd) {
    return this.store.update(lobbyId, (lobby) => applyCommand(lobby, cmd));
  }
  get(lobbyId) {
    return this.store.get(lobbyId);
  }
  listPublic() {
    return this.store.listPublic();
  }
};

// server/logger.ts
import pino from "pino";
function createLogger(level) {
  return pino({
    level,
    redact: { paths: ["*.token", "*.inviteToken", "*.deviceKey", "*.sdp", "*.candidate", "*.auth"], censor: "[redacted]" }
  });
}

// server/lobby/views.ts
function toLobbyView(lobby) {
  return {
    id: lobby.id,
    code: lobby.code,
    inviteToken: lobby.inviteToken,
    name: lobby.name,
    visibility: lobby.visibility,
    maxPlayers: lobby.maxPlayers,
    locked: lobby.locked,
    phase: lobby.phase,
    hostId: lobby.hostId,
    members: lobby.members.map((m) => ({
      id: m.id,
      nickname: m.nickname,
      ready: m.ready,
      presence: m.presence.kind,
      joinedAt: m.joinedAt
    })),
    version: lobby.version
  };
}
function toSummary(lobby) {
  if (lobby.visibility !== "public") return null;
  const host = lobby.members.find((m) => m.id === lobby.hostId);
  return {
    code: lobby.code,
    name: lobby.name,
    hostName: host?.nickname ?? "",
    players: lobby.members.length,
    maxPlayers: lobby.maxPlayers,
    status: lobby.phase === "in-game" ? "in-game" : lobby.locked ? "locked" : isFull(lobby) ? "full" : "open"
  };
}

// server/socket/types.ts
var lobbyRoom = (lobbyId) => `lobby:${lobbyId}`;
var playerRoom = (playerId) => `player:${playerId}`;
var BROWSER_ROOM = "browser";

// server/socket/browserFeed.ts
var BROWSER_PUSH_DELAY_MS = 100;
var MAX_LISTED_LOBBIES = 100;
var STATUS_ORDER = { open: 0, full: 1, locked: 2, "in-game": 3 };
var BrowserFeed = class {
  constructor(io, lobbies) {
    this.io = io;
    this.lobbies = lobbies;
  }
  io;
  lobbies;
  timer = null;
  lastSent = "";
  async list() {
    const rows = (await this.lobbies.listPublic()).map(toSummary).filter((s) => s !== null);
    rows.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.players - a.players);
    return rows.slice(0, MAX_LISTED_LOBBIES);
  }
  markDirty() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.push();
    }, BROWSER_PUSH_DELAY_MS);
  }
  async push() {
    const rows = await this.list().catch(() => null);
    if (!rows) return;
    const json = JSON.stringify(rows);
    if (json === this.lastSent) return;
    this.lastSent = json;
    this.io.to(BROWSER_ROOM).emit("browser:list", rows);
  }
  close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
};

// server/socket/publisher.ts
function createPublisher(io, feed, membership, multiInstance) {
  io.on("lobby:membership", (lobbyId, version, memberIds) => {
    if (memberIds) membership.set(lobbyId, version, memberIds);
    else membership.delete(lobbyId);
  });
  return (lobbyId, lobby) => {
    if (lobby) {
      membership.update(lobby);
      io.to(lobbyRoom(lobby.id)).emit("lobby:state", toLobbyView(lobby));
      if (multiInstance) io.serverSideEmit("lobby:membership", lobbyId, lobby.version, lobby.members.map((m) => m.id));
    } else {
      membership.delete(lobbyId);
      if (multiInstance) io.serverSideEmit("lobby:membership", lobbyId, 0, null);
    }
    feed.markDirty();
  };
}

// server/socket/seats.ts
var SeatKeeper = class {
  constructor(lobbies, publish, log, graceMs) {
    this.lobbies = lobbies;
    this.publish = publish;
    this.log = log;
    this.graceMs = graceMs;
  }
  lobbies;
  publish;
  log;
  graceMs;
  timers = /* @__PURE__ */ new Map();
  hold(lobbyId, playerId, since) {
    this.release(playerId);
    const timer = setTimeout(() => {
      this.timers.delete(playerId);
      this.lobbies.run(lobbyId, { type: "expire", playerId, since }).then((r) => r.ok && this.publish(lobbyId, r.data)).catch((err) => this.log.warn({ err, lobbyId }, "seat expiry failed"));
    }, this.graceMs);
    timer.unref();
    this.timers.set(playerId, timer);
  }
  release(playerId) {
    const timer = this.timers.get(playerId);
    if (timer) clearTimeout(timer);
    this.timers.delete(playerId);
  }
  close() {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
};

// server/socket/lobbyHandlers.ts
import { z as z3 } from "zod";

// server/lobby/resume.ts
import { createHash, randomBytes as randomBytes3 } from "node:crypto";
var newResumeToken = () => randomBytes3(RESUME_TOKEN_BYTES).toString("base64url");
var hashResumeToken = (token) => createHash("sha256").update(token).digest("base64url");

// server/scale/connectionId.ts
var connectionIdOf = (instanceId, socketId) => `${instanceId}/${socketId}`;
function instanceOf(connectionId) {
  const slash = connectionId.indexOf("/");
  return slash > 0 ? connectionId.slice(0, slash) : null;
}

// server/store/errors.ts
var StoreUnavailableError = class extends Error {
  constructor(reason, options) {
    super(`lobby store unavailable: ${reason}`, options);
    this.reason = reason;
  }
  reason;
  name = "StoreUnavailableError";
};
var isStoreUnavailable = (err) => err instanceof StoreUnavailableError;

// server/socket/handle.ts
function handle(socket, log, event, schema, run) {
  const listener = async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return ack(fail(ErrorCode.INVALID_PAYLOAD));
    try {
      ack(await run(parsed.data));
    } catch (err) {
      if (isStoreUnavailable(err)) {
        log.warn({ event, reason: err.reason }, "lobby store unavailable");
        return ack(fail(ErrorCode.UNAVAILABLE));
      }
      log.error({ err, event }, "handler failed");
      ack(fail(ErrorCode.INTERNAL));
    }
  };
  socket.on(event, listener);
}

// server/socket/lobbyHandlers.ts
var Empty = z3.strictObject({});
var Watch = z3.strictObject({ watch: z3.boolean() });
function registerLobbyHandlers(socket, deps) {
  const { io, lobbies, feed, log, seats } = deps;
  const broadcast = (lobby) => deps.publish(lobby.id, lobby);
  const connectionId = connectionIdOf(deps.instanceId, socket.id);
  const current = async () => {
    const { lobbyId, playerId } = socket.data;
    if (!lobbyId || !playerId) return null;
    const lobby = await lobbies.get(lobbyId);
    if (lobby && isMember(lobby, playerId)) return { lobbyId, playerId };
    leaveRooms();
    return null;
  };
  const seat = (lobby, playerId, resumeToken) => {
    socket.data.lobbyId = lobby.id;
    socket.data.playerId = playerId;
    void socket.join([lobbyRoom(lobby.id), playerRoom(playerId)]);
    return {
      selfId: playerId,
      lobby: toLobbyView(lobby),
      iceServers: deps.iceServers(),
      publicUrl: deps.publicUrl,
      resumeToken
    };
  };
  const enter = (lobby, playerId, resumeToken) => {
    const joined = seat(lobby, playerId, resumeToken);
    broadcast(lobby);
    return ok(joined);
  };
  const newSeat = (nickname) => {
    const resumeToken = newResumeToken();
    const member = {
      id: newPlayerId(),
      nickname,
      deviceId: socket.data.deviceId,
      resumeHash: hashResumeToken(resumeToken),
      connectionId
    };
    return { member, resumeToken };
  };
  const leaveRooms = () => {
    const { lobbyId, playerId } = socket.data;
    if (lobbyId) void socket.leave(lobbyRoom(lobbyId));
    if (playerId) void socket.leave(playerRoom(playerId));
    socket.data.lobbyId = void 0;
    socket.data.playerId = void 0;
  };
  const act = async (toCommand) => {
    const me = await current();
    if (!me) return fail(ErrorCode.NOT_IN_LOBBY);
    const result = await lobbies.run(me.lobbyId, toCommand(me.playerId));
    if (result.ok && result.data) broadcast(result.data);
    if (result.ok && !result.data) deleted(me.lobbyId);
    return result;
  };
  const deleted = (lobbyId) => deps.publish(lobbyId, null);
  const done = (r) => r.ok ? ok(null) : r;
  let queue = Promise.resolve();
  const serial = (fn) => {
    const next = queue.then(fn);
    queue = next.catch(() => void 0);
    return next;
  };
  const on = (event, schema, run) => handle(socket, log, event, schema, (input) => serial(() => run(input)));
  on("lobby:create", CreateLobbyInput, async (input) => {
    if (await current()) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const { member, resumeToken } = newSeat(input.nickname);
    const created = await lobbies.create(member, input);
    return created.ok ? enter(created.data, member.id, resumeToken) : created;
  });
  on("lobby:join", JoinLobbyInput, async (input) => {
    if (await current()) return fail(ErrorCode.ALREADY_IN_LOBBY);
    const { member, resumeToken } = newSeat(input.nickname);
    const joined = await lobbies.join(member, input);
    return joined.ok ? enter(joined.data, member.id, resumeToken) : joined;
  });
  on("lobby:leave", Empty, async () => {
    const result = await act((playerId) => ({ type: "leave", playerId }));
    leaveRooms();
    return done(result);
  });
  on(
    "lobby:ready",
    SetReadyInput,
    async ({ ready }) => done(await act((playerId) => ({ type: "ready", playerId, ready })))
  );
  on("lobby:kick", KickInput, async ({ playerId: target2, ban }) => {
    const result = await act((actor) => ({ type: "kick", actor, target: target2, ban }));
    if (result.ok && result.data) {
      io.in(playerRoom(target2)).socketsLeave(lobbyRoom(result.data.id));
      io.to(playerRoom(target2)).emit("lobby:removed", { lobbyId: result.data.id, reason: ban ? "banned" : "kicked" });
    }
    return done(result);
  });
  on(
    "lobby:lock",
    SetLockedInput,
    async ({ locked }) => done(await act((actor) => ({ type: "lock", actor, locked })))
  );
  on(
    "lobby:transfer",
    TransferHostInput,
    async ({ playerId: target2 }) => done(await act((actor) => ({ type: "transfer", actor, target: target2 })))
  );
  on(
    "lobby:settings",
    UpdateSettingsInput,
    async (settings) => done(await act((actor) => ({ type: "settings", actor, settings })))
  );
  on("lobby:start", Empty, async () => done(await act((actor) => ({ type: "start", actor }))));
  on("lobby:end", Empty, async () => done(await act((actor) => ({ type: "end", actor }))));
  on("browser:watch", Watch, async ({ watch }) => {
    if (!watch) {
      void socket.leave(BROWSER_ROOM);
      return ok([]);
    }
    void socket.join(BROWSER_ROOM);
    return ok(await feed.list());
  });
  const resume = socket.data.resume;
  socket.data.resume = void 0;
  if (resume) {
    void serial(async () => {
      const nextToken = newResumeToken();
      const result = await lobbies.run(resume.lobbyId, {
        type: "resume",
        playerId: resume.playerId,
        resumeHash: hashResumeToken(resume.token),
        nextResumeHash: hashResumeToken(nextToken),
        connectionId
      });
      if (!result.ok || !result.data) {
        socket.emit("lobby:resume-failed", { error: result.ok ? ErrorCode.NOT_FOUND : result.error });
        return;
      }
      seats.release(resume.playerId);
      io.in(playerRoom(resume.playerId)).except(socket.id).disconnectSockets(true);
      socket.emit("lobby:resumed", seat(result.data, resume.playerId, nextToken));
      broadcast(result.data);
    }).catch((err) => {
      log.warn({ err }, "resume failed");
      socket.emit("lobby:resume-failed", { error: ErrorCode.UNAVAILABLE });
    });
  }
  socket.on("disconnect", () => {
    void serial(async () => {
      const { lobbyId, playerId } = socket.data;
      if (!lobbyId || !playerId) return;
      const now = Date.now();
      if (seats.graceMs <= 0) {
        const result2 = await lobbies.run(lobbyId, { type: "leave", playerId });
        if (result2.ok) deps.publish(lobbyId, result2.data);
        return;
      }
      const result = await lobbies.run(lobbyId, { type: "drop", playerId, connectionId, now });
      if (result.ok && result.data) {
        broadcast(result.data);
        seats.hold(lobbyId, playerId, now);
      }
    }).catch((err) => log.warn({ err }, "drop on disconnect failed"));
  });
}

// server/socket/membership.ts
var Membership = class {
  lobbies = /* @__PURE__ */ new Map();
  update(lobby) {
    this.set(lobby.id, lobby.version, lobby.members.map((m) => m.id));
  }
  /** From this process's broadcasts or another instance's (server-side events). */
  set(lobbyId, version, memberIds) {
    const known = this.lobbies.get(lobbyId);
    if (known && known.version >= version) return;
    this.lobbies.set(lobbyId, { version, members: new Set(memberIds) });
  }
  delete(lobbyId) {
    this.lobbies.delete(lobbyId);
  }
  /** Null when `from` may send to `to`; otherwise the error to answer. */
  check(lobbyId, from, to) {
    const members = this.lobbies.get(lobbyId)?.members;
    if (!members?.has(from)) return ErrorCode.NOT_IN_LOBBY;
    if (to === from || !members.has(to)) return ErrorCode.PEER_NOT_FOUND;
    return null;
  }
  get size() {
    return this.lobbies.size;
  }
};

// server/socket/origin.ts
function originAllowed(req, allowed) {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.has(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

// server/socket/signalHandlers.ts
import { RateLimiterMemory } from "rate-limiter-flexible";
var RATE_LIMITED_NOTICE_INTERVAL_MS = 1e3;
function createSignalLimiters() {
  const limiter = (points, windowMs) => new RateLimiterMemory({ points, duration: windowMs / 1e3 });
  return {
    signals: limiter(SIGNAL_RATE_POINTS, SIGNAL_RATE_WINDOW_MS),
    relayMessages: limiter(RELAY_RATE_MESSAGES, RELAY_RATE_WINDOW_MS),
    relayBytes: limiter(RELAY_RATE_BYTES, RELAY_RATE_WINDOW_MS)
  };
}
var tooBig = (error) => error.issues.some((i) => i.code === "too_big");
function registerSignalHandlers(socket, deps) {
  const { io, membership, limiters } = deps;
  let lastLimitedNoticeAt = 0;
  const reject = (event, code, to) => {
    if (code === ErrorCode.RATE_LIMITED) {
      const now = Date.now();
      if (now - lastLimitedNoticeAt < RATE_LIMITED_NOTICE_INTERVAL_MS) return;
      lastLimitedNoticeAt = now;
    }
    socket.emit("signal:error", to === void 0 ? { event, code } : { event, code, to });
  };
  socket.on("signal", (payload) => {
    const { playerId: from, lobbyId } = socket.data;
    if (!from || !lobbyId) return reject("signal", ErrorCode.NOT_IN_LOBBY);
    const parsed = SignalInput.safeParse(payload);
    if (!parsed.success) return reject("signal", tooBig(parsed.error) ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PAYLOAD);
    const { to, negotiationId, signal } = parsed.data;
    const denied = membership.check(lobbyId, from, to);
    if (denied) return reject("signal", denied, to);
    limiters.signals.consume(from).then(
      () => void io.to(playerRoom(to)).emit("signal", { from, negotiationId, signal }),
      () => reject("signal", ErrorCode.RATE_LIMITED, to)
    );
  });
  socket.on("relay", (payload) => {
    const { playerId: from, lobbyId } = socket.data;
    if (!from || !lobbyId) return reject("relay", ErrorCode.NOT_IN_LOBBY);
    const parsed = RelayInput.safeParse(payload);
    if (!parsed.success) {
      const data2 = payload?.data;
      const oversized = (data2 instanceof Uint8Array || data2 instanceof ArrayBuffer) && data2.byteLength > MAX_RELAY_BYTES;
      return reject("relay", oversized ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PAYLOAD);
    }
    const { to, data } = parsed.data;
    const denied = membership.check(lobbyId, from, to);
    if (denied) return reject("relay", denied, to);
    Promise.all([limiters.relayMessages.consume(from), limiters.relayBytes.consume(from, data.byteLength)]).then(
      () => void io.to(playerRoom(to)).emit("relay", { from, data }),
      () => reject("relay", ErrorCode.RATE_LIMITED, to)
    );
  });
}

// server/store/memory.ts
var MemoryLobbyStore = class {
  lobbies = /* @__PURE__ */ new Map();
  byCode = /* @__PURE__ */ new Map();
  byInvite = /* @__PURE__ */ new Map();
  async insert(lobby) {
    if (this.byCode.has(lobby.code) || this.byInvite.has(lobby.inviteToken)) return false;
    this.lobbies.set(lobby.id, lobby);
    this.byCode.set(lobby.code, lobby.id);
    this.byInvite.set(lobby.inviteToken, lobby.id);
    return true;
  }
  async get(id) {
    return this.lobbies.get(id) ?? null;
  }
  async idByCode(code) {
    return this.byCode.get(code) ?? null;
  }
  async idByInvite(token) {
    return this.byInvite.get(token) ?? null;
  }
  // No await between read and write: atomic on the event loop.
  async update(id, fn) {
    const current = this.lobbies.get(id);
    if (!current) return fail(ErrorCode.NOT_FOUND);
    const result = fn(current);
    if (!result.ok) return result;
    if (result.data === null) this.delete(current);
    else this.lobbies.set(id, result.data);
    return result;
  }
  async listPublic() {
    return [...this.lobbies.values()].filter((l) => l.visibility === "public");
  }
  async listAll() {
    return [...this.lobbies.values()];
  }
  async close() {
    this.lobbies.clear();
    this.byCode.clear();
    this.byInvite.clear();
  }
  delete(lobby) {
    this.lobbies.delete(lobby.id);
    this.byCode.delete(lobby.code);
    this.byInvite.delete(lobby.inviteToken);
  }
};

// server/scale/janitor.ts
var JANITOR_INTERVAL_MS = 5e3;
var Janitor = class {
  constructor(deps) {
    this.deps = deps;
  }
  deps;
  timer = null;
  running = false;
  start(intervalMs = JANITOR_INTERVAL_MS) {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }
  /** One pass over every lobby. Concurrent sweeps (other instances) are safe: commands are idempotent. */
  async sweep() {
    if (this.running) return;
    this.running = true;
    try {
      const alive = /* @__PURE__ */ new Map();
      const isAlive = async (id) => {
        if (!alive.has(id)) alive.set(id, await this.deps.instances.isAlive(id));
        return alive.get(id);
      };
      for (const lobby of await this.deps.store.listAll()) await this.sweepLobby(lobby, isAlive);
    } catch (err) {
      this.deps.log.warn({ err }, "janitor sweep failed");
    } finally {
      this.running = false;
    }
  }
  async sweepLobby(lobby, isAlive) {
    const now = (this.deps.now ?? Date.now)();
    for (const m of lobby.members) {
      if (m.presence.kind === "present") {
        const instance = instanceOf(m.connectionId);
        if (!instance || await isAlive(instance)) continue;
        const r = await this.deps.lobbies.run(lobby.id, { type: "drop", playerId: m.id, connectionId: m.connectionId, now });
        if (r.ok) this.deps.publish(lobby.id, r.data);
      } else if (now - m.presence.since >= this.deps.graceMs) {
        const r = await this.deps.lobbies.run(lobby.id, { type: "expire", playerId: m.id, since: m.presence.since });
        if (r.ok) this.deps.publish(lobby.id, r.data);
      }
    }
  }
  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
};

// server/scale/instances.ts
import { randomBytes as randomBytes4 } from "node:crypto";
import { createClient } from "redis";
var newInstanceId = () => randomBytes4(6).toString("base64url");
function singleInstance(selfId = newInstanceId()) {
  return { selfId, isAlive: async (id) => id === selfId, close: async () => {
  } };
}

// server/app.ts
function createApp(deps) {
  const { config } = deps;
  const log = deps.logger ?? createLogger(config.logLevel);
  const store = deps.store ?? new MemoryLobbyStore();
  const lobbies = new LobbyService(store);
  const deviceKeys = new DeviceKeys(config.sessionSecret);
  const allowedOrigins = /* @__PURE__ */ new Set([...config.allowedOrigins, ...config.publicUrl ? [config.publicUrl] : []]);
  const iceServers = () => config.stunUrls.length ? [{ urls: config.stunUrls }] : [];
  const http = createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (deps.pages) return void deps.pages(req, res);
    res.writeHead(404).end();
  });
  const io = new Server(http, {
    maxHttpBufferSize: MAX_PACKET_BYTES,
    ...deps.adapter ? { adapter: deps.adapter } : {},
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    allowRequest: (req, cb) => cb(null, originAllowed(req, allowedOrigins)),
    serveClient: false
  });
  const feed = new BrowserFeed(io, lobbies);
  const membership = new Membership();
  const limiters = createSignalLimiters();
  const publish = createPublisher(io, feed, membership, Boolean(deps.adapter));
  const seats = new SeatKeeper(lobbies, publish, log, config.seatGraceMs);
  const instances = deps.instances ?? singleInstance();
  const janitor = deps.instances ? new Janitor({ store, lobbies, instances, publish, graceMs: config.seatGraceMs, log }) : null;
  janitor?.start(config.janitorIntervalMs);
  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success || auth.data.protocolVersion !== PROTOCOL_VERSION) {
      const err = new Error(ErrorCode.PROTOCOL_MISMATCH);
      err.data = { code: ErrorCode.PROTOCOL_MISMATCH, serverVersion: PROTOCOL_VERSION };
      return next(err);
    }
    socket.data.deviceId = deviceKeys.verify(auth.data.deviceKey) ?? "";
    socket.data.resume = auth.data.resume;
    next();
  });
  io.on("connection", (socket) => {
    if (!socket.data.deviceId) {
      const issued = deviceKeys.issue();
      socket.data.deviceId = issued.deviceId;
      socket.emit("session", { deviceKey: issued.key });
    }
    registerLobbyHandlers(socket, { io, lobbies, feed, publish, seats, instanceId: instances.selfId, log, iceServers, publicUrl: config.publicUrl ?? null });
    registerSignalHandlers(socket, { io, membership, limiters });
    socket.conn.request = null;
  });
  return {
    http,
    io,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => {
          const addr = http.address();
          const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
          resolve(`http://${shownHost === "0.0.0.0" ? "localhost" : shownHost}:${addr.port}`);
        });
      });
    },
    async close() {
      feed.close();
      seats.close();
      janitor?.close();
      await io.close();
      await store.close();
    }
  };
}

// server/config.ts
import { randomBytes as randomBytes5 } from "node:crypto";
import { z as z4 } from "zod";
var list = z4.string().optional().transform((s) => s ? s.split(",").map((x) => x.trim()).filter(Boolean) : []);
var EnvSchema = z4.object({
  NODE_ENV: z4.enum(["development", "production", "test"]).default("development"),
  PORT: z4.coerce.number().int().min(0).max(65535).default(3e3),
  HOST: z4.string().min(1).default("0.0.0.0"),
  /** Base of invite links, e.g. https://play.example.com. Defaults to the page's own origin. */
  PUBLIC_URL: z4.url().optional(),
  /** Extra origins allowed to open a socket (the page's own origin and PUBLIC_URL always are). */
  ALLOWED_ORIGINS: list,
  /** STUN servers handed to browsers, e.g. stun:stun.example.com:3478. None by default: no third party. */
  STUN_URLS: list,
  /** Signs device keys; random per process unless set (set it when running several instances). */
  SESSION_SECRET: z4.string().min(16).optional(),
  /** How long a dropped member keeps the seat; 0 = a lost connection leaves at once. */
  SEAT_GRACE_MS: z4.coerce.number().int().min(0).max(6e5).default(DEFAULT_SEAT_GRACE_MS),
  /** socket.io heartbeat: a dead client is noticed within interval + timeout. */
  PING_INTERVAL_MS: z4.coerce.number().int().min(100).default(1e4),
  PING_TIMEOUT_MS: z4.coerce.number().int().min(100).default(1e4),
  /** With it, lobbies live in Redis and socket.io uses the Redis Streams adapter: run N instances. */
  REDIS_URL: z4.url().optional(),
  /** Key namespace in Redis, so deployments (or test runs) can share one server. */
  REDIS_PREFIX: z4.string().regex(/^[A-Za-z0-9:_-]{1,40}$/).default("peerlobby:"),
  /** How often each instance sweeps for ghosts of dead instances and expired seats. */
  /** An instance whose heartbeat is older than this is dead; its members are dropped. */
  INSTANCE_TTL_MS: z4.coerce.number().int().min(300).default(1e4),
  JANITOR_INTERVAL_MS: z4.coerce.number().int().min(100).default(5e3),
  /** Serve the Next.js pages too (off: socket.io and /healthz only, for signaling-only nodes and tests). */
  SERVE_PAGES: z4.enum(["true", "false"]).default("true"),
  LOG_LEVEL: z4.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")
});
var ConfigError = class extends Error {
};
function loadConfig(env = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:
${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    dev: c.NODE_ENV === "development",
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL?.replace(/\/$/, ""),
    allowedOrigins: c.ALLOWED_ORIGINS,
    stunUrls: c.STUN_URLS,
    sessionSecret: c.SESSION_SECRET ?? randomBytes5(32).toString("hex"),
    logLevel: c.LOG_LEVEL,
    seatGraceMs: c.SEAT_GRACE_MS,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.REDIS_PREFIX,
    janitorIntervalMs: c.JANITOR_INTERVAL_MS,
    instanceTtlMs: c.INSTANCE_TTL_MS,
    servePages: c.SERVE_PAGES === "true",
    pingIntervalMs: c.PING_INTERVAL_MS,
    pingTimeoutMs: c.PING_TIMEOUT_MS
  };
}

// bench/bare-relay.ts
import { createServer as createServer2 } from "node:http";
import { Server as Server2 } from "socket.io";
function createBareRelay() {
  const http = createServer2((_req, res) => void res.writeHead(404).end());
  const io = new Server2(http, { serveClient: false, cors: { origin: "*" } });
  io.on("connection", (socket) => {
    socket.on("join", (room, ack) => {
      const peers = [...io.sockets.adapter.rooms.get(room) ?? []];
      void socket.join(room);
      ack?.(peers);
    });
    socket.on("signal", (msg) => {
      io.to(msg.to).emit("signal", { from: socket.id, data: msg.data });
    });
  });
  return { http, close: () => io.close() };
}

// bench/signaling/server.ts
var target = process.argv[2];
var send = (m) => process.send?.(m);
async function start() {
  if (target === "bare") {
    const bare = createBareRelay();
    await new Promise((resolve) => bare.http.listen(0, "127.0.0.1", resolve));
    const { port } = bare.http.address();
    return { url: `http://127.0.0.1:${port}`, close: () => void bare.close() };
  }
  const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", HOST: "127.0.0.1", PORT: "0", SERVE_PAGES: "false" });
  const app = createApp({ config, logger: createLogger("silent") });
  const url = await app.listen(0, "127.0.0.1");
  return { url, close: () => app.close() };
}
var gc = globalThis.gc;
void start().then(({ url, close }) => {
  process.on("message", (raw) => {
    const msg = raw;
    if (msg.type === "snapshot") {
      send({ type: "snapshot", id: msg.id, file: writeHeapSnapshot(msg.file) });
      return;
    }
    if (msg.type === "stop") {
      void Promise.resolve(close()).finally(() => process.exit(0));
      return;
    }
    if (msg.gc && gc) {
      gc();
      gc();
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({ type: "stats", id: msg.id, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, cpuMicros: cpu.user + cpu.system });
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", url });
});
