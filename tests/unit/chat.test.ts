import { describe, expect, it } from 'vitest';
import { LobbyChat, type ChatCarryOver, type ChatPeerEvents } from '../../lib/client/chat';
import { CHAT_HISTORY_SENT, CHAT_RATE_MESSAGES, parseChatWire } from '../../lib/client/chat/wire';
import type { ChannelName } from '../../lib/client/mesh/channels';
import type { TopicChannel } from '../../lib/client/topics';
import { MAX_CHAT_CHARS, type LobbySource, type LobbyView } from '../../lib/protocol';

type Handler = (from: string, channel: ChannelName, data: string | Uint8Array) => void;

/** An in-memory lobby: synchronous delivery between the nodes that are "connected". */
class FakeLobby {
  lobby: LobbyView = {
    id: 'lobby-1',
    game: 'ring-out',
    meta: {},
    code: 'ABCDEF',
    inviteToken: 'x'.repeat(22),
    name: 'Test',
    visibility: 'private',
    maxPlayers: 8,
    locked: false,
    phase: 'waiting',
    hostId: '',
    members: [],
    version: 1,
  };
  readonly handlers = new Map<string, Set<Handler>>();
  readonly lobbyListeners = new Set<(l: LobbyView | null, self: string | null) => void>();
  readonly connectListeners = new Map<string, Set<(peer: string) => void>>();
  readonly now = { t: 1_000_000 };
  private n = 0;

  join(id: string, nickname: string) {
    const others = this.lobby.members.map((m) => m.id);
    this.lobby = {
      ...this.lobby,
      hostId: this.lobby.hostId || id,
      members: [
        ...this.lobby.members,
        { id, nickname, ready: false, presence: 'present', joinedAt: 0, meta: {} },
      ],
      version: this.lobby.version + 1,
    };
    const chat = this.chatFor(id);
    for (const fn of [...this.lobbyListeners]) fn(this.lobby, null);
    // Links open: both sides see the other connect.
    for (const other of others) {
      this.fireConnected(other, id);
      this.fireConnected(id, other);
    }
    return chat;
  }

  /** The same member's page makes a new chat (a new Mesh after a privacy change): links reopen. */
  replace(id: string, old: LobbyChat, carryOver: ChatCarryOver = old.carryOver()) {
    old.close();
    const chat = this.chatFor(id, carryOver);
    for (const other of this.lobby.members.map((m) => m.id).filter((m) => m !== id)) {
      this.fireConnected(other, id);
      this.fireConnected(id, other);
    }
    return chat;
  }

  private chatFor(id: string, carryOver?: ChatCarryOver) {
    return new LobbyChat({
      channel: this.channel(id),
      lobby: this.source(id),
      peers: this.peers(id),
      now: () => this.now.t,
      newId: () => `msg${String(++this.n).padStart(5, '0')}`,
      carryOver,
    });
  }

  leave(id: string) {
    const members = this.lobby.members.filter((m) => m.id !== id);
    this.lobby = {
      ...this.lobby,
      members,
      hostId: this.lobby.hostId === id ? (members[0]?.id ?? '') : this.lobby.hostId,
    };
    for (const fn of [...this.lobbyListeners]) fn(this.lobby, null);
  }

  deliver(from: string, to: string, data: string) {
    for (const fn of [...(this.handlers.get(to) ?? [])]) fn(from, 'reliable', data);
  }

  private fireConnected(at: string, peer: string) {
    for (const fn of [...(this.connectListeners.get(at) ?? [])]) fn(peer);
  }

  private channel(self: string): TopicChannel {
    return {
      selfId: self,
      send: (to, _channel, data) => this.deliver(self, to, data as string),
      broadcast: (_channel, data) => {
        for (const m of this.lobby.members) if (m.id !== self) this.deliver(self, m.id, data as string);
      },
      onMessage: (fn) => {
        let set = this.handlers.get(self);
        if (!set) this.handlers.set(self, (set = new Set()));
        set.add(fn);
        return () => set.delete(fn);
      },
    };
  }

  private source(self: string): LobbySource {
    const lobbyOf = () => this.lobby;
    return {
      get currentLobby() {
        return lobbyOf();
      },
      playerId: self,
      on: (_event, fn) => {
        this.lobbyListeners.add(fn);
        return () => this.lobbyListeners.delete(fn);
      },
    };
  }

  private peers(self: string): ChatPeerEvents {
    return {
      on: (_event, fn) => {
        let set = this.connectListeners.get(self);
        if (!set) this.connectListeners.set(self, (set = new Set()));
        set.add(fn);
        return () => set.delete(fn);
      },
    };
  }
}

const texts = (chat: LobbyChat) => chat.messages.map((m) => `${m.authorName}: ${m.text}`);

describe('LobbyChat', () => {
  it('delivers to every other member, names the sender from the member list, marks our own', () => {
    const net = new FakeLobby();
    const ann = net.join('ann-00001', 'Ann');
    const ben = net.join('ben-00001', 'Ben');
    const cid = net.join('cid-00001', 'Cid');
    expect(ben.send('  hello  ')).toEqual({ ok: true });
    expect(texts(ann)).toEqual(['Ben: hello']);
    expect(texts(cid)).toEqual(['Ben: hello']);
    expect(ben.messages.map((m) => m.origin)).toEqual(['self']);
    expect(ann.messages[0]!.origin).toBe('live');
  });

  it('refuses empty, too long and flooding sends, and cleans control characters', () => {
    const net = new FakeLobby();
    const ann = net.join('ann-00001', 'Ann');
    const ben = net.join('ben-00001', 'Ben');
    expect(ann.send('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(ann.send('x'.repeat(MAX_CHAT_CHARS + 1))).toEqual({ ok: false, reason: 'too-long' });
    expect(ann.send('a\u202Eb\u0007c')).toEqual({ ok: true });
    expect(ben.messages[0]!.text).toBe('abc');
    for (let i = 1; i < CHAT_RATE_MESSAGES; i++) expect(ann.send(`m${i}`).ok).toBe(true);
    expect(ann.send('one too many')).toEqual({ ok: false, reason: 'rate-limited' });
    net.now.t += 10_000;
    expect(ann.send('later').ok).toBe(true);
    expect(ben.messages).toHaveLength(CHAT_RATE_MESSAGES + 1);
  });

  it('ignores invalid payloads and never takes an author from a message', () => {
    const net = new FakeLobby();
    const ann = net.join('ann-00001', 'Ann');
    net.join('ben-00001', 'Ben');
    const bad = [
      'not json',
      '{"type":"message","id":"msg00001"}',
      JSON.stringify({ type: 'message', id: 'msg00001', text: 'x'.repeat(MAX_CHAT_CHARS + 1) }),
      JSON.stringify({ type: 'message', id: 'bad id!', text: 'hi' }),
      JSON.stringify({ type: 'message', id: 'msg00001', text: '\u200B' }),
      JSON.stringify({ type: 'message', id: 'msg00001', text: 'hi', authorId: 'ann-00001' }),
      JSON.stringify({ type: 'nope' }),
      '{"__proto__":{"type":"message"}}',
    ];
    for (const data of bad) net.deliver('ben-00001', 'ann-00001', data);
    expect(ann.messages).toEqual([]);
    expect(parseChatWire(new Uint8Array([1, 2]))).toBeNull();
    net.deliver('ben-00001', 'ann-00001', JSON.stringify({ type: 'message', id: 'msg00001', text: 'ok' }));
    expect(texts(ann)).toEqual(['Ben: ok']);
  });

  it('a newcomer gets the last messages from the host, deduplicated, names kept for members who left', () => {
    const net = new FakeLobby();
    const ann = net.join('ann-00001', 'Ann');
    const ben = net.join('ben-00001', 'Ben');
    for (let i = 0; i < CHAT_HISTORY_SENT + 5; i++) {
      net.now.t += 1;
      (i % 2 ? ann : ben).send(`line ${i}`);
      if (i % 18 === 17) net.now.t += 10_000; // stay under the rate limit
    }
    net.leave('ben-00001');
    const cid = net.join('cid-00001', 'Cid');
    expect(cid.messages).toHaveLength(CHAT_HISTORY_SENT);
    expect(cid.messages.every((m) => m.origin === 'history')).toBe(true);
    expect(cid.messages[0]!.text).toBe('line 5');
    expect(cid.messages.at(-1)!.text).toBe(`line ${CHAT_HISTORY_SENT + 4}`);
    // Ben left before Cid came: Cid never saw his name, and will not take one from the payload.
    expect(cid.messages.find((m) => m.authorId === 'ben-00001')!.authorName).toBeNull();
    expect(cid.messages.find((m) => m.authorId === 'ann-00001')!.authorName).toBe('Ann');
    // The same history again (a reconnect) adds nothing.
    const before = cid.messages;
    net.deliver(
      'ann-00001',
      'cid-00001',
      JSON.stringify({
        type: 'history',
        messages: before.map(({ id, authorId, text, at }) => ({ id, authorId, text, at })),
      }),
    );
    expect(cid.messages).toBe(before);
  });

  it('accepts history only from the host', () => {
    const net = new FakeLobby();
    net.join('ann-00001', 'Ann');
    const ben = net.join('ben-00001', 'Ben');
    net.join('cid-00001', 'Cid');
    const forged = {
      type: 'history',
      messages: [{ id: 'msg99999', authorId: 'ann-00001', text: 'I quit', at: 1 }],
    };
    net.deliver('cid-00001', 'ben-00001', JSON.stringify(forged));
    expect(ben.messages).toEqual([]);
    net.deliver('ann-00001', 'ben-00001', JSON.stringify(forged));
    expect(texts(ben)).toEqual(['Ann: I quit']);
  });

  it('starts empty in another lobby and stops listening after close()', () => {
    const net = new FakeLobby();
    const ann = net.join('ann-00001', 'Ann');
    const ben = net.join('ben-00001', 'Ben');
    ann.send('first');
    expect(ben.messages).toHaveLength(1);
    net.lobby = { ...net.lobby, id: 'lobby-2' };
    for (const fn of [...net.lobbyListeners]) fn(net.lobby, null);
    expect(ben.messages).toEqual([]);
    ben.close();
    ann.send('after close');
    expect(ben.messages).toEqual([]);
    expect(ben.send('x')).toEqual({ ok: false, reason: 'not-in-lobby' });
  });

  it("a new chat on the same page (a privacy change) keeps the player's log, the host's too, without doubles", () => {
    const net = new FakeLobby();
    let ann = net.join('ann-00001', 'Ann'); // the host: nobody sends it history
    let ben = net.join('ben-00001', 'Ben');
    ann.send('one');
    ben.send('two');
    ann.send('three');
    const before = texts(ann);
    expect(before).toHaveLength(3);
    ann = net.replace('ann-00001', ann);
    expect(texts(ann)).toEqual(before);
    // A guest's new chat also gets the host's history as its links reopen: merged, not doubled.
    ben = net.replace('ben-00001', ben);
    expect(texts(ben)).toEqual(before);
    ben.send('four');
    expect(texts(ann)).toEqual([...before, 'Ben: four']);
    // A log from another lobby is not carried.
    const foreign = net.replace('ann-00001', ann, {
      lobbyId: 'lobby-0',
      entries: [{ ...ann.messages[0]!, text: 'elsewhere' }],
    });
    expect(foreign.messages).toEqual([]);
  });
});
