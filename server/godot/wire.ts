import * as z from 'zod/mini';
import { ErrorCode, MAX_CANDIDATE_CHARS, MAX_SIGNAL_BYTES } from '../../lib/protocol';

/**
 * The two wire formats of Godot's `networking/webrtc_signaling` demo (godot-demo-projects), as its stock
 * clients send them, decoded into one set of messages so the rest of the endpoint is version-free.
 *
 * Godot 4: one JSON text frame per message, `{"type": n, "id": n, "data": "..."}`, types
 *   0 JOIN, 1 ID, 2 PEER_CONNECT, 3 PEER_DISCONNECT, 4 OFFER, 5 ANSWER, 6 CANDIDATE, 7 SEAL.
 *   A JOIN's `id` is 0 for a mesh, anything else for client-server; `data` names the lobby ("" = new one).
 * Godot 3: one text frame per message, `"<L>: <arg>\n<payload>"`, L one of J I N D O A C S.
 *
 * Relayed messages (offer, answer, candidate) carry the destination on the way in and the sender on the
 * way out; the payload is passed on as received. The payload of a Godot 3 line is everything after its
 * first newline, which is exactly what Godot 4 puts in `data` (a candidate is "\n<mid>\n<index>\n<sdp>"
 * in both), so the two versions could even share a lobby on the wire.
 */
export type GodotVersion = 3 | 4;

export type RelayKind = 'offer' | 'answer' | 'candidate';

/** What a client may send. */
export type Inbound =
  | { kind: 'join'; lobby: string; mesh: boolean }
  | { kind: 'seal' }
  | { kind: 'relay'; type: RelayKind; to: number; data: string }
  /** Extension: ask for (fresh) ICE servers. Stock clients never send it. */
  | { kind: 'ice' };

/** What the server sends. */
export type Outbound =
  | { kind: 'id'; id: number; mesh: boolean }
  | { kind: 'peer-connect'; id: number }
  | { kind: 'peer-disconnect'; id: number }
  | { kind: 'joined'; lobby: string }
  | { kind: 'sealed' }
  | { kind: 'relay'; type: RelayKind; from: number; data: string }
  /** Extension: the ICE servers (JSON text); sent only to clients that asked (`?ice=1` or an ICE request). */
  | { kind: 'ice'; json: string };

export type Decoded = { ok: true; msg: Inbound } | { ok: false; error: ErrorCode; reason: string };

/** Godot 4 message types, as in the demo's `enum Message`; 8 is PeerLobby's (stock clients ignore it). */
export const GodotType = {
  JOIN: 0,
  ID: 1,
  PEER_CONNECT: 2,
  PEER_DISCONNECT: 3,
  OFFER: 4,
  ANSWER: 5,
  CANDIDATE: 6,
  SEAL: 7,
  ICE: 8,
} as const;
const RELAY_TYPES: Record<number, RelayKind> = { 4: 'offer', 5: 'answer', 6: 'candidate' };
const RELAY_CODES: Record<RelayKind, number> = { offer: 4, answer: 5, candidate: 6 };
const RELAY_LETTERS: Record<RelayKind, string> = { offer: 'O', answer: 'A', candidate: 'C' };
const LETTER_RELAYS: Record<string, RelayKind> = { O: 'offer', A: 'answer', C: 'candidate' };
/** Godot 3 extension line: `X: ice\n` asks, `X: ice\n<json>` answers (stock clients skip an `X:` line). */
const G3_ICE = 'X: ice';

/** Godot's peer ids are positive 32-bit ints (1 is the server/host). */
export const MAX_PEER_ID = 2 ** 31 - 1;
const PeerId = z.int().check(z.minimum(0), z.maximum(MAX_PEER_ID));

/** The longest JOIN argument looked at: lobby codes and invite tokens are far shorter. */
const MAX_LOBBY_ARG_CHARS = 64;

const Godot4Message = z.object({
  type: z.int().check(z.minimum(0), z.maximum(GodotType.ICE)),
  id: PeerId,
  data: z._default(z.string().check(z.maxLength(MAX_SIGNAL_BYTES)), ''),
});

const bad = (error: ErrorCode, reason: string): Decoded => ({ ok: false, error, reason });
const INVALID_FORMAT = bad(ErrorCode.INVALID_PAYLOAD, 'Invalid message format');
const INVALID_DEST = bad(ErrorCode.PEER_NOT_FOUND, 'Invalid destination');
const INVALID_CMD = bad(ErrorCode.INVALID_PAYLOAD, 'Invalid command');

/**
 * A candidate's payload as both stock clients build it ("\n%s\n%d\n%s": mid, index, candidate line) and
 * parse it (split on newlines, empty parts dropped, exactly three, the middle one an int). Anything
 * else would only make the receiving client fail to parse it.
 */
function candidateOk(data: string): boolean {
  const parts = data.split('\n').filter((p) => p !== '');
  if (parts.length !== 3) return false;
  const [mid, index, line] = parts as [string, string, string];
  return mid.length <= 64 && /^\d{1,4}$/.test(index) && line.length <= MAX_CANDIDATE_CHARS;
}

function relay(type: RelayKind, to: number, data: string): Decoded {
  if (to === 0) return INVALID_DEST;
  if (data.length > MAX_SIGNAL_BYTES) return bad(ErrorCode.TOO_LARGE, 'Message too large');
  if (type === 'candidate' ? !candidateOk(data) : data.length === 0) return INVALID_FORMAT;
  return { ok: true, msg: { kind: 'relay', type, to, data } };
}

export function decode(version: GodotVersion, text: string): Decoded {
  return version === 4 ? decode4(text) : decode3(text);
}

function decode4(text: string): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return INVALID_FORMAT;
  }
  const parsed = Godot4Message.safeParse(json);
  if (!parsed.success) {
    const tooBig = parsed.error.issues.some((i) => i.code === 'too_big' && i.path[0] === 'data');
    return tooBig ? bad(ErrorCode.TOO_LARGE, 'Message too large') : INVALID_FORMAT;
  }
  const { type, id, data } = parsed.data;
  switch (type) {
    case GodotType.JOIN:
      if (data.length > MAX_LOBBY_ARG_CHARS) return bad(ErrorCode.NOT_FOUND, 'Lobby does not exists');
      return { ok: true, msg: { kind: 'join', lobby: data.trim(), mesh: id === 0 } };
    case GodotType.SEAL:
      return { ok: true, msg: { kind: 'seal' } };
    case GodotType.ICE:
      return { ok: true, msg: { kind: 'ice' } };
    default: {
      const kind = RELAY_TYPES[type];
      // ID, PEER_CONNECT and PEER_DISCONNECT are the server's to send.
      return kind ? relay(kind, id, data) : INVALID_CMD;
    }
  }
}

function decode3(text: string): Decoded {
  const sep = text.indexOf('\n');
  if (sep < 0) return INVALID_FORMAT;
  const cmd = text.slice(0, sep);
  const payload = text.slice(sep + 1);
  if (cmd.length < 3 || cmd[1] !== ':' || cmd[2] !== ' ') return INVALID_FORMAT;
  const arg = cmd.slice(3).trim();
  const letter = cmd[0]!;
  if (letter === 'J') {
    if (arg.length > MAX_LOBBY_ARG_CHARS) return bad(ErrorCode.NOT_FOUND, 'Lobby does not exists');
    // Godot 3's client always builds a mesh (WebRTCMultiplayer.initialize(id, true)).
    return { ok: true, msg: { kind: 'join', lobby: arg, mesh: true } };
  }
  if (letter === 'S') return { ok: true, msg: { kind: 'seal' } };
  if (cmd === G3_ICE) return { ok: true, msg: { kind: 'ice' } };
  const kind = LETTER_RELAYS[letter];
  if (!kind) return INVALID_CMD;
  if (!/^\d{1,10}$/.test(arg) || Number(arg) > MAX_PEER_ID) return INVALID_DEST;
  return relay(kind, Number(arg), payload);
}

export function encode(version: GodotVersion, msg: Outbound): string {
  return version === 4 ? encode4(msg) : encode3(msg);
}

const json4 = (type: number, id: number, data = '') => JSON.stringify({ type, id, data });

function encode4(msg: Outbound): string {
  switch (msg.kind) {
    case 'id':
      return json4(GodotType.ID, msg.id, msg.mesh ? 'true' : '');
    case 'peer-connect':
      return json4(GodotType.PEER_CONNECT, msg.id);
    case 'peer-disconnect':
      return json4(GodotType.PEER_DISCONNECT, msg.id);
    case 'joined':
      return json4(GodotType.JOIN, 0, msg.lobby);
    case 'sealed':
      return json4(GodotType.SEAL, 0);
    case 'relay':
      return json4(RELAY_CODES[msg.type], msg.from, msg.data);
    case 'ice':
      return json4(GodotType.ICE, 0, msg.json);
  }
}

function encode3(msg: Outbound): string {
  switch (msg.kind) {
    case 'id':
      return `I: ${msg.id}\n`;
    case 'peer-connect':
      return `N: ${msg.id}\n`;
    case 'peer-disconnect':
      return `D: ${msg.id}\n`;
    case 'joined':
      return `J: ${msg.lobby}\n`;
    case 'sealed':
      return 'S: \n';
    case 'relay':
      return `${RELAY_LETTERS[msg.type]}: ${msg.from}\n${msg.data}`;
    case 'ice':
      return `${G3_ICE}\n${msg.json}`;
  }
}
