import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of the server, to break a client's connection for real:
 * `cut()` closes every connection (a network drop), `freeze()` keeps them open but silent
 * (a dead peer: heartbeats stop), `thaw()` lets new connections through again.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private frozen = false;
  private readonly server: Server;
  url = '';

  private target: URL;

  /** New connections go to another upstream (a load balancer failing over); open ones stay. */
  retarget(url: string) {
    this.target = new URL(url);
  }

  private constructor(target: URL) {
    this.target = target;
    this.server = createServer((client) => {
      if (this.frozen) return void client.destroy();
      const upstream = connect(Number(this.target.port), this.target.hostname);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
  }

  static async start(targetUrl: string): Promise<TcpProxy> {
    const proxy = new TcpProxy(new URL(targetUrl));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  cut() {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  /** Silence: nothing flows either way and new connections are refused, but nothing is closed. */
  freeze() {
    this.frozen = true;
    for (const [a, b] of this.pairs) {
      a.unpipe(b);
      b.unpipe(a);
      a.pause();
      b.pause();
    }
  }

  thaw() {
    this.frozen = false;
    this.cut();
  }

  async close() {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
