/**
 * One per page: the only subscriber to the game topic. It decodes each arriving message once and hands
 * the typed result to whoever registered for that message type — the GameHost (inputs, hello, rematch),
 * the GameClient (snapshots, roster, events, scoreboards) and the GameSession (handoffs). Before it, all
 * three subscribed to the transport and each decoded every message.
 *
 * Channel rules are part of decoding: inputs and snapshots are binary on the unreliable channel, every
 * other message is JSON on the reliable channel. Anything else — garbage, a binary message on the
 * reliable channel, an unknown kind — is dropped here and counted, never passed on.
 */
import {
  decodeInputs,
  decodeReliable,
  decodeSnapshot,
  MessageKind,
  peekKind,
  type CodecError,
  type Decoded,
  type ReliableMessage,
  type SequencedInput,
  type Snapshot,
} from '../codec';
import type { GameChannel, GamePayload, GameTransport } from './transport';

export type GameMessage =
  { t: 'inputs'; inputs: SequencedInput[] } | { t: 'snapshot'; snapshot: Snapshot } | ReliableMessage;
export type GameMessageType = GameMessage['t'];
export type GameMessageOf<T extends GameMessageType> = Extract<GameMessage, { t: T }>;
export type GameMessageListener<T extends GameMessageType> = (from: string, msg: GameMessageOf<T>) => void;

/** Pure: what a message on `channel` is, or why it is nothing. */
export function decodeGameMessage(channel: GameChannel, data: GamePayload): Decoded<GameMessage> {
  if (typeof data === 'string') {
    if (channel !== 'reliable') return { ok: false, error: { code: 'BAD_KIND', kind: -1 } };
    return decodeReliable(data);
  }
  const kind = peekKind(data);
  if (channel !== 'unreliable' || kind === null)
    return { ok: false, error: kind === null ? { code: 'EMPTY' } : { code: 'BAD_KIND', kind } };
  if (kind === MessageKind.INPUT) {
    const inputs = decodeInputs(data);
    return inputs.ok ? { ok: true, value: { t: 'inputs', inputs: inputs.value } } : inputs;
  }
  if (kind === MessageKind.SNAPSHOT) {
    const snap = decodeSnapshot(data);
    return snap.ok ? { ok: true, value: { t: 'snapshot', snapshot: snap.value } } : snap;
  }
  return { ok: false, error: { code: 'BAD_KIND', kind } };
}

export class GameDispatcher {
  private readonly listeners = new Map<GameMessageType, Set<(from: string, msg: GameMessage) => void>>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  /** Messages decoded and messages dropped (undecodable, or for a channel they do not belong on). */
  readonly counts = { decoded: 0, dropped: 0 };
  /** The last reason a message was dropped (for debugging and tests). */
  lastError: CodecError | null = null;

  constructor(readonly transport: GameTransport) {}

  get selfId(): string {
    return this.transport.selfId;
  }

  /** Registers for one message type; subscribes to the transport on first use. Returns the remover. */
  on<T extends GameMessageType>(type: T, fn: GameMessageListener<T>): () => void {
    if (this.closed) return () => {};
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const entry = fn as (from: string, msg: GameMessage) => void;
    set.add(entry);
    this.unsubscribe ??= this.transport.onMessage((from, channel, data) => this.receive(from, channel, data));
    return () => void set.delete(entry);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listeners.clear();
  }

  private receive(from: string, channel: GameChannel, data: GamePayload): void {
    const msg = decodeGameMessage(channel, data);
    if (!msg.ok) {
      this.counts.dropped++;
      this.lastError = msg.error;
      return;
    }
    this.counts.decoded++;
    const set = this.listeners.get(msg.value.t);
    if (set) for (const fn of [...set]) fn(from, msg.value);
  }
}
