import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { StunResult } from '../metrics';
import { buildResponse, parseBindingRequest } from './codec';
import type { StunPorts } from './urls';

export interface StunResponderOptions {
  /** The server's HOST: an address, a name, or a wildcard (0.0.0.0, ::). */
  host: string;
  ports: StunPorts;
  log: Logger;
  count: (result: StunResult) => void;
  /** Per client IP: Limits.stunRequestPoints per stunRequestWindowS (server/socket/limits.ts). */
  ratePoints: number;
  rateWindowS: number;
}

export interface BoundAddress {
  address: string;
  port: number;
}

/**
 * The addresses to bind for a HOST. A wildcard becomes one socket per local address, as coturn does:
 * a UDP socket bound to 0.0.0.0 on a multi-homed host may answer from another source address than the
 * one the request reached, and the client (or its NAT) then drops every reply. IPv6 link-local
 * addresses are skipped (they need a zone and no browser gathers server-reflexive candidates through them).
 */
export async function addressesFor(host: string): Promise<string[]> {
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) {
    if (isIP(host)) return [host];
    return [...new Set((await lookup(host, { all: true })).map((a) => a.address))];
  }
  const local = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined)
    .filter((a) => a.family === 'IPv4' || (host === '::' && !a.address.toLowerCase().startsWith('fe80:')))
    .map((a) => a.address);
  return [...new Set(local)];
}

function bindOne(address: string, port: number): Promise<Socket> {
  // ipv6Only on a udp4 socket makes bind fail with EINVAL; on udp6 it keeps `::` from taking IPv4 too.
  const socket = createSocket(isIPv6(address) ? { type: 'udp6', ipv6Only: true } : { type: 'udp4' });
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * The UDP side of the built-in STUN server: owns the sockets, applies the per-IP budget, counts
 * every outcome, answers with the codec's reply from the socket the request reached. It never
 * throws at start: a port it cannot bind is a warning and the server runs on without it.
 */
/**
 * With a wildcard HOST, how often new local addresses are looked for: os.networkInterfaces() lists only
 * interfaces that are up and running, so a server started before its network (a boot race, a VPN or
 * container network attached later) would otherwise never answer on that address.
 */
const RESCAN_INTERVAL_MS = 30_000;

export class StunResponder {
  private closed = false;
  private rescanTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly sockets: { socket: Socket; bound: BoundAddress }[],
    /** What is actually served: null when the main port could not be bound anywhere. */
    readonly ports: StunPorts | null,
    private readonly opts: StunResponderOptions,
    private readonly limiter: RateLimiterMemory,
  ) {
    for (const { socket } of sockets) this.listen(socket);
    const wildcard = opts.host === '0.0.0.0' || opts.host === '::';
    if (ports && wildcard) {
      this.rescanTimer = setInterval(() => void this.bindNewAddresses(), RESCAN_INTERVAL_MS);
      this.rescanTimer.unref();
    }
  }

  private listen(socket: Socket) {
    socket.on('message', (msg, rinfo) => this.onMessage(socket, msg, rinfo));
    // After bind, errors are per datagram (an unreachable reply, say): never fatal.
    socket.on('error', (err) => this.opts.log.debug({ err }, 'STUN socket error'));
  }

  /** Binds the served ports on local addresses that appeared since start (wildcard HOST only). */
  async bindNewAddresses(): Promise<BoundAddress[]> {
    const ports = this.ports;
    if (this.closed || !ports) return [];
    const known = new Set(this.sockets.map((s) => s.bound.address));
    const fresh = (await addressesFor(this.opts.host).catch(() => [])).filter((a) => !known.has(a));
    const added: BoundAddress[] = [];
    for (const address of fresh) {
      for (const port of [ports.port, ports.altPort].filter((p): p is number => p !== null)) {
        try {
          const socket = await bindOne(address, port);
          if (this.closed) {
            socket.close();
            return added;
          }
          this.sockets.push({ socket, bound: { address, port } });
          this.listen(socket);
          added.push({ address, port });
        } catch (err) {
          this.opts.log.debug({ err, address, port }, 'STUN responder: a new address could not be bound');
        }
      }
    }
    if (added.length)
      this.opts.log.info(
        { listening: added.map((b) => `${b.address}:${b.port}`) },
        'STUN responder: new addresses',
      );
    return added;
  }

  static async start(opts: StunResponderOptions): Promise<StunResponder> {
    const { log, ports } = opts;
    const limiter = new RateLimiterMemory({
      keyPrefix: 'stun',
      points: opts.ratePoints,
      duration: opts.rateWindowS,
    });
    let addresses: string[] = [];
    try {
      addresses = await addressesFor(opts.host);
    } catch (err) {
      log.warn(
        { err, host: opts.host },
        'STUN responder: cannot resolve HOST; the server goes on without STUN',
      );
    }
    const wanted = addresses.flatMap((address) =>
      [ports.port, ports.altPort].filter((p): p is number => p !== null).map((port) => ({ address, port })),
    );
    const results = await Promise.allSettled(wanted.map((b) => bindOne(b.address, b.port)));
    const sockets: { socket: Socket; bound: BoundAddress }[] = [];
    results.forEach((r, i) => {
      const bound = wanted[i]!;
      if (r.status === 'fulfilled') sockets.push({ socket: r.value, bound });
      else
        log.warn(
          { err: r.reason, ...bound },
          `STUN responder: cannot bind UDP ${bound.address}:${bound.port}; skipped`,
        );
    });
    const servesMain = sockets.some((s) => s.bound.port === ports.port);
    const servesAlt = ports.altPort !== null && sockets.some((s) => s.bound.port === ports.altPort);
    if (!servesMain) {
      // An alternate port alone is useless: the check compares it with the main one.
      for (const { socket } of sockets) socket.close();
      log.warn(
        { port: ports.port, host: opts.host },
        'STUN responder is not running (could not bind its UDP port); the server goes on without built-in STUN',
      );
      return new StunResponder([], null, opts, limiter);
    }
    if (ports.altPort !== null && !servesAlt) {
      log.warn(
        { altPort: ports.altPort },
        'STUN alternate port unavailable: connection checks cannot spot symmetric NATs',
      );
    }
    const served: StunPorts = { port: ports.port, altPort: servesAlt ? ports.altPort : null };
    const kept = sockets.filter((s) => s.bound.port === served.port || s.bound.port === served.altPort);
    log.info(
      { listening: kept.map((s) => `${s.bound.address}:${s.bound.port}`) },
      'STUN responder listening',
    );
    return new StunResponder(kept, served, opts, limiter);
  }

  /** Every address:port answered on. */
  get bound(): BoundAddress[] {
    return this.sockets.map((s) => s.bound);
  }

  private onMessage(socket: Socket, msg: Buffer, from: RemoteInfo) {
    const request = parseBindingRequest(msg);
    if (!request) return this.opts.count('malformed');
    this.limiter.consume(from.address).then(
      () => {
        if (this.closed) return;
        try {
          socket.send(buildResponse(request, from), from.port, from.address);
          this.opts.count(request.unknown.length ? 'unknown_attribute' : 'answered');
        } catch (err) {
          this.opts.log.debug({ err }, 'STUN reply not sent');
        }
      },
      (err: unknown) => {
        if (err instanceof RateLimiterRes) return this.opts.count('rate_limited');
        this.opts.log.warn({ err }, 'STUN responder: rate limiter failed; request dropped');
      },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    await Promise.all(
      this.sockets.map(({ socket }) => new Promise<void>((resolve) => socket.close(() => resolve()))),
    );
  }
}
