import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript' };

export interface ExampleServer {
  url: string;
  /** Bytes of the page's script (the game, the SDK, socket.io-client and zod), minified. */
  bundleBytes: number;
  close(): Promise<void>;
}

/** Bundles src/main.ts (and @peerlobby/sdk, by its package name) and serves the page. */
export async function startExample(
  opts: { port?: number; host?: string; peerlobbyUrl?: string | (() => string) } = {},
): Promise<ExampleServer> {
  const bundle = await esbuild.build({
    entryPoints: [here('./src/main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]!.contents;
  // Read per request: a test starts the PeerLobby server after this one (it must allow this origin).
  const config = () => {
    const url =
      typeof opts.peerlobbyUrl === 'function'
        ? opts.peerlobbyUrl()
        : (opts.peerlobbyUrl ?? 'http://localhost:3000');
    return `window.PEERLOBBY_URL = ${JSON.stringify(url)};\n`;
  };
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string | Uint8Array) =>
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (path === '/main.js') return send(TYPES['.js']!, script);
    if (path === '/config.js') return send(TYPES['.js']!, config());
    const file = path === '/' ? 'index.html' : path === '/style.css' ? 'style.css' : null;
    if (!file) return void res.writeHead(404).end();
    readFile(here(`./public/${file}`)).then(
      (body) => send(TYPES[file.slice(file.lastIndexOf('.'))]!, body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => http.listen(opts.port ?? 5173, opts.host ?? '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const host = opts.host && opts.host !== '127.0.0.1' ? opts.host : 'localhost';
  return {
    url: `http://${host}:${port}`,
    bundleBytes: script.byteLength,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const peerlobbyUrl = process.env.PEERLOBBY_URL ?? 'http://localhost:3000';
  const server = await startExample({ port: Number(process.env.PORT ?? 5173), peerlobbyUrl });
  console.log(`Cursor party on ${server.url} (PeerLobby server: ${peerlobbyUrl}). Open it in two browsers.`);
}
