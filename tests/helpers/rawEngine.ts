import WebSocket from 'ws';

/**
 * engine.io v4 spoken by hand, for attacks socket.io-client will not make: batched packets in one
 * polling POST, sessions that never send a socket.io CONNECT.
 */
export const PACKET_SEPARATOR = '\x1e';
const path = (url: string, query: string) => `${url}/socket.io/?EIO=4&${query}`;

/** Opens a polling session; resolves with its sid, or rejects with the refusal's status and body. */
export async function pollingHandshake(url: string): Promise<string> {
  const res = await fetch(path(url, 'transport=polling'));
  const body = await res.text();
  if (!res.ok)
    throw Object.assign(new Error(`handshake refused: ${res.status}`), { status: res.status, body });
  const open = JSON.parse(body.slice(1)) as { sid: string };
  return open.sid;
}

/** One polling POST carrying `packets` (engine.io-encoded, e.g. `40{...}`), joined as one payload. */
export async function pollingPost(url: string, sid: string, packets: string[]): Promise<number> {
  const res = await fetch(path(url, `transport=polling&sid=${sid}`), {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: packets.join(PACKET_SEPARATOR),
  });
  await res.text();
  return res.status;
}

/** One polling GET: the packets the server had for this session (or its error status). */
export async function pollingGet(url: string, sid: string): Promise<{ status: number; packets: string[] }> {
  const res = await fetch(path(url, `transport=polling&sid=${sid}`));
  const body = await res.text();
  return { status: res.status, packets: res.ok ? body.split(PACKET_SEPARATOR) : [] };
}

/** A plain engine.io websocket; resolves once the server's open packet arrived, rejects if refused. */
export function rawWebSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(path(url.replace(/^http/, 'ws'), 'transport=websocket'));
  return new Promise((resolve, reject) => {
    ws.once('message', (data) =>
      String(data).startsWith('0') ? resolve(ws) : reject(new Error(String(data))),
    );
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error('upgrade refused'), { status: res.statusCode })),
    );
    ws.once('error', reject);
  });
}

/**
 * A lobby member spoken in raw socket.io over a plain engine.io websocket, so a test can stop reading
 * its TCP socket (`stopReading`) while it keeps writing unsolicited pongs, as a hostile client would.
 */
export async function rawMember(url: string, invite: string, nickname: string, protocolVersion: number) {
  const ws = await rawWebSocket(url);
  const texts: string[] = [];
  const waiters = new Set<{ match: (s: string) => boolean; resolve: (s: string) => void }>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = String(data);
    if (text === '2') ws.send('3'); // answers pings while it still reads
    texts.push(text);
    for (const w of waiters) {
      if (!w.match(text)) continue;
      waiters.delete(w);
      w.resolve(text);
    }
  });
  const next = (match: (s: string) => boolean) =>
    new Promise<string>((resolve) => {
      const found = texts.find(match);
      if (found !== undefined) resolve(found);
      else waiters.add({ match, resolve });
    });
  ws.send(`40${JSON.stringify({ protocolVersion })}`);
  await next((t) => t.startsWith('40{'));
  ws.send(`421${JSON.stringify(['lobby:join', { nickname, invite }])}`);
  const [result] = JSON.parse((await next((t) => t.startsWith('431'))).slice(3)) as [
    { ok: boolean; data?: { selfId: string } },
  ];
  if (!result.ok || !result.data) throw new Error(`raw join failed: ${JSON.stringify(result)}`);
  return {
    ws,
    playerId: result.data.selfId,
    /** Stops reading (the TCP socket is paused) but keeps sending a pong every `everyMs`. */
    stopReading(everyMs: number) {
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const pongs = setInterval(() => ws.send('3'), everyMs);
      ws.once('close', () => clearInterval(pongs));
      return () => clearInterval(pongs);
    },
  };
}
