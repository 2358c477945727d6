import WebSocket from 'ws';

/**
 * A Godot signaling client written from the protocol description of Godot's `webrtc_signaling` demo
 * (its README), not from the server's code: Godot 4 sends `{"type","id","data"}` JSON, Godot 3 sends
 * `"<L>: <id>\n<payload>"` lines. Incoming messages are normalised to `{ type, id, data }` with the
 * Godot 4 numbering (Godot 3 letters map J0 I1 N2 D3 O4 A5 C6 S7; X is PeerLobby's extension, 8).
 */
export type Version = 3 | 4;
export const T = {
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
const LETTERS = 'JINDOACS';

export interface Msg {
  type: number;
  id: number;
  data: string;
}

export class GodotTestClient {
  readonly received: Msg[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  /** Messages already handed to a `next` caller are not handed out again. */
  private cursor = new Set<Msg>();
  private readonly listeners = new Set<(m: Msg) => void>();

  private constructor(
    readonly ws: WebSocket,
    readonly version: Version,
  ) {
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('message', (raw) => {
      const m = this.parse(raw.toString());
      this.received.push(m);
      for (const l of this.listeners) l(m);
      for (const w of this.waiters) {
        if (!w.pred(m)) continue;
        this.waiters = this.waiters.filter((x) => x !== w);
        this.cursor.add(m);
        w.resolve(m);
        return;
      }
    });
  }

  static connect(
    url: string,
    version: Version,
    query = '',
    headers: Record<string, string> = {},
  ): Promise<GodotTestClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/godot${query}`, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new GodotTestClient(ws, version)));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  private parse(text: string): Msg {
    if (this.version === 4) return JSON.parse(text) as Msg;
    const sep = text.indexOf('\n');
    const head = text.slice(0, sep);
    const letter = head[0]!;
    const arg = head.slice(3);
    if (letter === 'X') return { type: T.ICE, id: 0, data: text.slice(sep + 1) };
    const type = LETTERS.indexOf(letter);
    if (letter === 'J') return { type, id: 0, data: arg };
    return { type, id: letter === 'S' ? 0 : Number(arg), data: text.slice(sep + 1) };
  }

  /** Every message from now on, as it arrives (returns the unsubscribe). */
  onMessage(fn: (m: Msg) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The next message (not yet taken) that matches; rejects after `timeoutMs`. */
  next(pred: (m: Msg) => boolean, timeoutMs = 8000): Promise<Msg> {
    const found = this.received.find((m) => !this.cursor.has(m) && pred(m));
    if (found) {
      this.cursor.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message; got ${JSON.stringify(this.received)}`)),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  nextOf(type: number, id?: number) {
    return this.next((m) => m.type === type && (id === undefined || m.id === id));
  }

  send(type: number, id: number, data = '') {
    if (this.version === 4) return this.ws.send(JSON.stringify({ type, id, data }));
    const letter = LETTERS[type]!;
    if (type === T.JOIN) return this.ws.send(`J: ${data}\n`);
    if (type === T.SEAL) return this.ws.send('S: \n');
    this.ws.send(`${letter}: ${id}\n${data}`);
  }

  /** JOIN; resolves with { id, mesh, lobby } once ID and the JOIN reply arrived. */
  async join(lobby = '', mesh = true) {
    this.send(T.JOIN, mesh ? 0 : 1, lobby);
    const id = await this.nextOf(T.ID);
    const joined = await this.nextOf(T.JOIN);
    return { id: id.id, mesh: this.version === 4 ? id.data === 'true' : true, lobby: joined.data };
  }

  offer(to: number, sdp: string) {
    this.send(T.OFFER, to, sdp);
  }

  answer(to: number, sdp: string) {
    this.send(T.ANSWER, to, sdp);
  }

  /** As both stock clients build it: "\n<mid>\n<index>\n<candidate>". */
  candidate(to: number, mid: string, index: number, line: string) {
    this.send(T.CANDIDATE, to, `\n${mid}\n${index}\n${line}`);
  }

  seal() {
    this.send(T.SEAL, 0);
  }

  raw(text: string | Buffer) {
    this.ws.send(text);
  }

  close() {
    this.ws.close();
  }
}
