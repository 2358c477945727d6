import type { IceServer } from '@/lib/protocol';
import { gatherCandidates, GATHER_TIMEOUT_MS } from './gather';
import { classify, type ConnectionReport } from './verdict';

export interface CheckConnectionOptions {
  RTCPeerConnection: typeof globalThis.RTCPeerConnection;
  /** [main, alternate] STUN URLs of this server (`connection:check`); empty when it runs no STUN. */
  stunUrls: readonly string[];
  /** TURN servers with credentials (lobby members only): their reachability is tested too. */
  turnServers?: IceServer[];
  /** The server has TURN, whether or not we hold credentials for it. */
  turnConfigured: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Gathers candidates against both STUN ports from one set of sockets (plus TURN when given), and
 * against each port alone (see CheckEvidence.probes), all at once, then classifies them.
 */
export async function checkConnection(options: CheckConnectionOptions): Promise<ConnectionReport> {
  const { stunUrls, turnServers = [], turnConfigured } = options;
  const gather = (iceServers: IceServer[]) =>
    gatherCandidates({
      RTCPeerConnection: options.RTCPeerConnection,
      iceServers,
      timeoutMs: options.timeoutMs ?? GATHER_TIMEOUT_MS,
      signal: options.signal,
    });
  const [main = '', alt = ''] = stunUrls;
  const stun = stunUrls.length ? [{ urls: [...stunUrls] }] : [];
  const [compare, probeMain, probeAlt] = await Promise.all([
    gather([...stun, ...turnServers]),
    main ? gather([{ urls: main }]) : empty(),
    alt ? gather([{ urls: alt }]) : empty(),
  ]);
  return classify({
    stunUrls,
    compare,
    probes: [probeMain, probeAlt],
    turn: turnServers.length > 0 ? 'tested' : turnConfigured ? 'configured' : 'none',
  });
}

const empty = () => Promise.resolve({ candidates: [], complete: true, errorUrls: [] });

/** The TURN entries of a member's ICE servers (its STUN entries are replaced by the server's two ports). */
export function turnServersOf(iceServers: IceServer[]): IceServer[] {
  return iceServers.flatMap((s) => {
    const urls = [s.urls].flat().filter((u) => /^turns?:/i.test(u));
    return urls.length ? [{ ...s, urls }] : [];
  });
}
