import { ErrorCode } from '../../lib/protocol';

/**
 * Prometheus text exposition (format 0.0.4), hand-written: PeerLobby exports a few counters and gauges,
 * which takes ~80 lines here, while prom-client would add a dependency and a process-global default
 * registry (several apps in one test process would share it). Each app owns one `Metrics`.
 */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

export const STUN_RESULTS = ['answered', 'unknown_attribute', 'malformed', 'rate_limited'] as const;
export type StunResult = (typeof STUN_RESULTS)[number];

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/** A monotonically increasing count; `inc(n)` with n ≥ 0, optionally per label set. */
export class Counter<L extends string = never> {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    initial: Record<L, string>[] = [],
  ) {
    for (const labels of initial) this.values.set(labelText(labels), 0);
    if (initial.length === 0) this.values.set('', 0);
  }

  inc(...args: [L] extends [never] ? [n?: number] : [labels: Record<L, string>, n?: number]) {
    // Unlabelled counters are counted on the signal hot path: no label set built, no key rendered.
    const labelled = typeof args[0] === 'object';
    const by = (labelled ? args[1] : (args[0] as number | undefined)) ?? 1;
    if (!(by >= 0)) return; // counters never go down; NaN is ignored too
    const key = labelled ? labelText(args[0] as Labels) : '';
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  /** Current value for a label set (tests read it). */
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }

  render(): string {
    const lines = [...this.values].map(([labels, v]) => `${this.name}${labels} ${v}`);
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n${lines.join('\n')}\n`;
  }
}

/** A value read at scrape time. */
export interface Gauge {
  name: string;
  help: string;
  read(): number | Promise<number>;
}

const renderGauge = (g: Gauge, v: number) =>
  `# HELP ${g.name} ${g.help}\n# TYPE ${g.name} gauge\n${g.name} ${v}\n`;

export class Metrics {
  /** Signals forwarded between members (the signaling handlers call `inc()`). */
  readonly signalsRelayed = new Counter(
    'peerlobby_signals_relayed_total',
    'Signals relayed between lobby members.',
  );
  /** Payload bytes forwarded over the server relay fallback (`inc(bytes)`). */
  readonly relayBytes = new Counter(
    'peerlobby_relay_bytes_total',
    'Bytes forwarded over the server relay fallback.',
  );
  /** Connections cut because the client stopped reading and its outgoing queue passed the cap. */
  readonly slowClientsCut = new Counter(
    'peerlobby_slow_clients_cut_total',
    'Connections closed for not draining their outgoing queue.',
  );
  /** Every refused request, by the error code the client got. */
  readonly rejections = new Counter<'reason'>(
    'peerlobby_rejections_total',
    'Requests refused, by error code.',
    Object.values(ErrorCode).map((reason) => ({ reason })),
  );
  /**
   * STUN Binding requests to the built-in responder (server/stun): answered with the mapped address,
   * refused with 420 (an attribute we cannot honour), dropped as malformed, or dropped over the per-IP budget.
   */
  readonly stunRequests = new Counter<'result'>(
    'peerlobby_stun_requests_total',
    'STUN requests to the built-in responder, by outcome.',
    STUN_RESULTS.map((result) => ({ result })),
  );
  private readonly gauges: Gauge[] = [
    {
      name: 'peerlobby_heap_used_bytes',
      help: 'V8 heap in use.',
      read: () => process.memoryUsage().heapUsed,
    },
  ];

  addGauge(gauge: Gauge) {
    this.gauges.push(gauge);
  }

  async render(): Promise<string> {
    const counters = [
      this.signalsRelayed,
      this.relayBytes,
      this.slowClientsCut,
      this.rejections,
      this.stunRequests,
    ].map((c) => c.render());
    const gauges = await Promise.all(this.gauges.map(async (g) => renderGauge(g, await g.read())));
    return [...gauges, ...counters].join('');
  }
}
