import { assertNever, type LobbySource, type LobbyView } from '../../protocol';
import { Emitter } from '../../events/emitter';
import type { TopicChannel } from '../topics';
import { RateWindow } from './rateWindow';
import {
  CHAT_HISTORY_SENT,
  CHAT_KEPT,
  CHAT_RATE_MESSAGES,
  CHAT_RATE_WINDOW_MS,
  ChatText,
  parseChatWire,
  type ChatWire,
  type ChatWireInput,
} from './wire';

/** One line of the chat log. Serializable: it goes into the store as is. */
export interface ChatEntry {
  /** `authorId:id`: one peer cannot overwrite another's message by reusing its id. */
  key: string;
  id: string;
  authorId: string;
  /** From the lobby's member list (the server's word), never from a payload; null for someone who left before we came. */
  authorName: string | null;
  text: string;
  /** ms since the epoch: our clock for live messages, the host's for history. */
  at: number;
  origin: 'self' | 'live' | 'history';
}

export type ChatSendResult =
  { ok: true } | { ok: false; reason: 'empty' | 'too-long' | 'rate-limited' | 'not-in-lobby' };

/** What the chat needs of the mesh: when a peer becomes reachable (the host then sends it history). */
export interface ChatPeerEvents {
  on(event: 'peerConnected', fn: (peerId: string) => void): () => void;
}

interface LobbyChatEvents {
  messages: (entries: readonly ChatEntry[]) => void;
}

export interface LobbyChatOptions {
  channel: TopicChannel;
  lobby: LobbySource;
  peers: ChatPeerEvents;
  now?: () => number;
  newId?: () => string;
  /**
   * The log of the chat this one replaces on the same page (a new Mesh after a privacy or route change):
   * kept when it is the same lobby's, so the player's own log does not vanish.
   */
  carryOver?: ChatCarryOver | null;
}

export interface ChatCarryOver {
  lobbyId: string | null;
  entries: readonly ChatEntry[];
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * Lobby chat, peer to peer: messages go to every other member over the mesh's reliable channel (on
 * whatever route each pair has), and the host hands its last CHAT_HISTORY_SENT messages to each
 * member that connects to it. Incoming payloads are parsed with zod; senders are the mesh's peer ids.
 */
export class LobbyChat {
  private readonly events = new Emitter<LobbyChatEvents>();
  private readonly disposers: (() => void)[] = [];
  private readonly seen = new Set<string>();
  /** Nicknames of everyone seen in this lobby, so messages of members who left keep their name. */
  private readonly names = new Map<string, string>();
  private readonly rate: RateWindow;
  private readonly now: () => number;
  private readonly newId: () => string;
  private entries: ChatEntry[] = [];
  private lobbyId: string | null = null;
  private closed = false;

  constructor(private readonly options: LobbyChatOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomId;
    this.rate = new RateWindow(CHAT_RATE_MESSAGES, CHAT_RATE_WINDOW_MS, this.now);
    this.disposers.push(
      options.lobby.on('lobby', (lobby) => this.syncLobby(lobby)),
      options.channel.onMessage((from, channel, data) => {
        if (channel === 'reliable') this.receive(from, parseChatWire(data));
      }),
      options.peers.on('peerConnected', (peerId) => this.sendHistoryTo(peerId)),
    );
    const carried = options.carryOver;
    if (carried?.lobbyId && carried.lobbyId === options.lobby.currentLobby?.id) {
      this.lobbyId = carried.lobbyId;
      this.entries = [...carried.entries];
      for (const e of this.entries) this.seen.add(e.key);
    }
    this.syncLobby(options.lobby.currentLobby);
  }

  get messages(): readonly ChatEntry[] {
    return this.entries;
  }

  /** What a successor on the same page keeps (see `carryOver`). */
  carryOver(): ChatCarryOver {
    return { lobbyId: this.lobbyId, entries: this.entries };
  }

  on<K extends keyof LobbyChatEvents>(event: K, fn: LobbyChatEvents[K]): () => void {
    return this.events.on(event, fn);
  }

  /** Cleans and sends `text` to everyone in the lobby; shows it locally at once. */
  send(text: string): ChatSendResult {
    const selfId = this.options.lobby.playerId;
    if (this.closed || !selfId || !this.lobbyId) return { ok: false, reason: 'not-in-lobby' };
    const parsed = ChatText.safeParse(text);
    if (!parsed.success) return { ok: false, reason: text.trim() === '' ? 'empty' : 'too-long' };
    if (!this.rate.take(selfId)) return { ok: false, reason: 'rate-limited' };
    const id = this.newId();
    this.write({ type: 'message', id, text: parsed.data }, (json) =>
      this.options.channel.broadcast('reliable', json),
    );
    this.add([{ id, authorId: selfId, text: parsed.data, at: this.now(), origin: 'self' }]);
    return { ok: true };
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.events.clear();
  }

  private write(message: ChatWireInput, out: (json: string) => void) {
    // A closed or changing mesh may refuse; the message then stays local, like any lost send.
    try {
      out(JSON.stringify(message));
    } catch {
      // Nothing to do.
    }
  }

  private syncLobby(lobby: LobbyView | null) {
    if (!lobby) return;
    if (lobby.id !== this.lobbyId) {
      // Another lobby: its chat starts empty.
      this.lobbyId = lobby.id;
      this.entries = [];
      this.seen.clear();
      this.names.clear();
      this.emit();
    }
    for (const m of lobby.members) this.names.set(m.id, m.nickname);
  }

  private receive(from: string, message: ChatWire | null) {
    if (!message || this.closed || !this.lobbyId) return;
    switch (message.type) {
      case 'message':
        if (!this.rate.take(from)) return;
        this.add([{ id: message.id, authorId: from, text: message.text, at: this.now(), origin: 'live' }]);
        return;
      case 'history': {
        // Only the host's; a member could otherwise put words in anyone's mouth.
        if (from !== this.options.lobby.currentLobby?.hostId) return;
        const now = this.now();
        this.add(
          message.messages.map((m) => ({ ...m, at: Math.min(m.at, now), origin: 'history' as const })),
        );
        return;
      }
      default:
        assertNever(message);
    }
  }

  private sendHistoryTo(peerId: string) {
    const lobby = this.options.lobby.currentLobby;
    if (this.closed || !lobby || lobby.hostId !== this.options.lobby.playerId || this.entries.length === 0)
      return;
    const messages = this.entries
      .slice(-CHAT_HISTORY_SENT)
      .map(({ id, authorId, text, at }) => ({ id, authorId, text, at }));
    this.write({ type: 'history', messages }, (json) => this.options.channel.send(peerId, 'reliable', json));
  }

  private add(items: Omit<ChatEntry, 'key' | 'authorName'>[]) {
    const fresh: ChatEntry[] = [];
    for (const item of items) {
      const key = `${item.authorId}:${item.id}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      fresh.push({ ...item, key, authorName: this.names.get(item.authorId) ?? null });
    }
    if (fresh.length === 0) return;
    // Stable sort by time: history (the host's clock) lands before what arrived live since.
    const merged = [...this.entries, ...fresh].sort((a, b) => a.at - b.at);
    for (const dropped of merged.splice(0, Math.max(0, merged.length - CHAT_KEPT)))
      this.seen.delete(dropped.key);
    this.entries = merged;
    this.emit();
  }

  private emit() {
    this.events.emit('messages', this.entries);
  }
}
