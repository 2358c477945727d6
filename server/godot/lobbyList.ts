import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode, GameSlug } from '../../lib/protocol';
import { addressKey, clientIp } from '../socket/clientIp';
import type { BrowserFeed } from '../socket/browserFeed';
import type { SocketGuards } from '../socket/guard';
import { GODOT_GAME } from './query';

export const LOBBIES_PATH = '/godot/lobbies';

/**
 * `GET /godot/lobbies?game=<slug>`: the public lobbies of a game (default `godot`) as JSON, for a
 * Godot menu — the rows the web lobby browser shows, each `code` ready for a JOIN. Public data, so any
 * origin may read it (web exports are served from elsewhere); charged to the address's event budget.
 * Returns false for any other path.
 */
export function serveLobbyList(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { feed: BrowserFeed; guards: SocketGuards; log: Logger; trustProxyHops: number },
): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== LOBBIES_PATH) return false;
  const json = (status: number, body: unknown) =>
    res
      .writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
      })
      .end(JSON.stringify(body));
  if (req.method !== 'GET') return (json(405, { error: ErrorCode.INVALID_PAYLOAD }), true);
  const game = GameSlug.safeParse(url.searchParams.get('game') ?? GODOT_GAME);
  if (!game.success) return (json(400, { error: ErrorCode.INVALID_PAYLOAD }), true);
  const address = addressKey(clientIp(req, deps.trustProxyHops));
  const guard = deps.guards.guardFor(`http:${address}`, address);
  void (async () => {
    const refused = await guard.admit('browser:watch');
    if (refused) return json(429, { error: refused });
    const rows = await deps.feed.list(game.data);
    guard.answered('browser:watch', rows);
    if (!rows.ok) return json(rows.error === ErrorCode.UNKNOWN_GAME ? 404 : 400, { error: rows.error });
    json(200, { game: game.data, lobbies: rows.data });
  })().catch((err: unknown) => {
    deps.log.warn({ err }, 'godot lobby list failed');
    json(503, { error: ErrorCode.UNAVAILABLE });
  });
  return true;
}
