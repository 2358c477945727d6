/** IPC messages between the orchestrator and its children (server under test, load generator). */
/** ours: PeerLobby; bare: a bare socket.io relay; peerjs: PeerJS's server (npm `peer`), its own websocket protocol. */
export type Target = 'ours' | 'bare' | 'peerjs' | 'before';
export const TARGETS: readonly Target[] = ['bare', 'peerjs', 'ours'];
/** `before`: our server built from another checkout (BENCH_BEFORE=dir), measured in the same run as `ours`. */
export const speaksOurs = (t: Target) => t === 'ours' || t === 'before';

export interface ServerStats {
  rssBytes: number;
  heapUsedBytes: number;
  /** process.cpuUsage(), user + system, µs since start. */
  cpuMicros: number;
}

export type ServerRequest =
  | { type: 'stats'; id: number; gc: boolean }
  | { type: 'snapshot'; id: number; file: string }
  | { type: 'stop' };
export type ServerReply =
  | { type: 'ready'; url: string }
  | { type: 'snapshot'; id: number; file: string }
  | ({ type: 'stats'; id: number } & ServerStats);

export type LoadRequest =
  | { type: 'connect'; id: number; count: number; concurrency: number }
  | {
      type: 'latency';
      id: number;
      players: number;
      ratePerS: number;
      durationMs: number;
      warmupMs: number;
      payloadBytes: number;
    }
  | { type: 'throughput'; id: number; action: 'start'; players: number; inFlight: number }
  | { type: 'throughput'; id: number; action: 'mark' | 'stop' }
  | { type: 'stop' };

export interface ConnectResult {
  connected: number;
  ms: number;
}
export interface LatencyResult {
  sent: number;
  completed: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  achievedPerS: number;
  rejected: number;
}
export interface ThroughputResult {
  /** Relayed signals delivered so far in this phase, and when (ms, hrtime). */
  delivered: number;
  atMs: number;
  rejected: number;
}
export type LoadReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: ConnectResult | LatencyResult | ThroughputResult }
  | { type: 'error'; id: number; message: string };
