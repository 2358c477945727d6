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
  if (!res.ok) throw Object.assign(new Error(`handshake refused: ${res.status}`), { status: res.status, body });
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
    ws.once('message', (data) => (String(data).startsWith('0') ? resolve(ws) : reject(new Error(String(data)))));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('upgrade refused'), { status: res.statusCode })));
    ws.once('error', reject);
  });
}
