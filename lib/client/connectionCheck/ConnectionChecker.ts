import { ERROR_MESSAGES, type ConnectionCheckServers, type IceServer, type Result } from '@/lib/protocol';
import { Emitter } from '../../events/emitter';
import { checkConnection } from './checkConnection';
import type { ConnectionReport } from './verdict';

export type CheckResult = {
  kind: 'result';
  report: ConnectionReport;
  rttMs: number;
  turnConfigured: boolean;
};

export type CheckState =
  | { kind: 'idle' }
  /** `previous`: the last result, kept on screen while checking again (no jump in the layout). */
  | { kind: 'checking'; previous: CheckResult | null }
  | CheckResult
  | { kind: 'error'; message: string };

/** Round trips timed per check; the median ignores one slow outlier (a GC pause, a busy tab). */
export const RTT_SAMPLES = 3;

export interface ConnectionCheckerDeps {
  /** `connection:check`, acked by the server. */
  servers: () => Promise<Result<ConnectionCheckServers>>;
  /** A member's TURN servers with credentials; none on the home page. */
  turnServers: () => IceServer[];
  RTCPeerConnection: typeof globalThis.RTCPeerConnection;
  now?: () => number;
}

/**
 * Owns one "Check my connection" run at a time (its RTCPeerConnections and timers) and its state;
 * React subscribes with useSyncExternalStore. `close()` stops a run and ignores its result.
 */
export class ConnectionChecker {
  private state: CheckState = { kind: 'idle' };
  private readonly events = new Emitter<{ change: () => void }>();
  private run: AbortController | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: ConnectionCheckerDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  getState = () => this.state;

  subscribe = (fn: () => void) => this.events.on('change', fn);

  async check(): Promise<void> {
    if (this.state.kind === 'checking') return;
    const run = (this.run = new AbortController());
    this.set({ kind: 'checking', previous: this.state.kind === 'result' ? this.state : null });
    const next = await this.measure(run.signal).catch(
      () => ({ kind: 'error', message: ERROR_MESSAGES.INTERNAL }) as const,
    );
    if (this.run === run && !run.signal.aborted) this.set(next);
  }

  close() {
    this.run?.abort();
    this.run = null;
    this.events.clear();
  }

  private async measure(signal: AbortSignal): Promise<CheckState> {
    // The ack round trip of `connection:check` is the round trip players feel on the server relay.
    const samples: number[] = [];
    let servers: ConnectionCheckServers | null = null;
    for (let i = 0; i < RTT_SAMPLES && !signal.aborted; i++) {
      const start = this.now();
      const result = await this.deps.servers();
      if (!result.ok) return { kind: 'error', message: ERROR_MESSAGES[result.error] };
      samples.push(this.now() - start);
      servers = result.data;
    }
    if (!servers) return { kind: 'idle' };
    const report = await checkConnection({
      RTCPeerConnection: this.deps.RTCPeerConnection,
      stunUrls: servers.stunUrls,
      turnServers: servers.turnConfigured ? this.deps.turnServers() : [],
      turnConfigured: servers.turnConfigured,
      signal,
    });
    return { kind: 'result', report, rttMs: median(samples), turnConfigured: servers.turnConfigured };
  }

  private set(state: CheckState) {
    this.state = state;
    this.events.emit('change');
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
