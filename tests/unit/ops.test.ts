import { describe, expect, it } from 'vitest';
import { Counter, Metrics } from '../../server/metrics';
import { clientIp } from '../../server/socket/clientIp';

const req = (remoteAddress: string, xff?: string) =>
  ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as Parameters<
    typeof clientIp
  >[0];

describe('clientIp (S4 keys)', () => {
  it('uses the TCP peer unless proxies are trusted; then the entry that many hops from the right', () => {
    expect(clientIp(req('10.0.0.9', '1.2.3.4'), 0)).toBe('10.0.0.9');
    expect(clientIp(req('10.0.0.9', 'forged, 198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientIp(req('10.0.0.9', 'forged, 198.51.100.7, 10.0.0.2'), 2)).toBe('198.51.100.7');
    // A header shorter than the trusted chain cannot be from our proxies: fall back to the peer.
    expect(clientIp(req('10.0.0.9', '198.51.100.7'), 2)).toBe('10.0.0.9');
    expect(clientIp(req('10.0.0.9'), 1)).toBe('10.0.0.9');
  });
});

describe('metrics exposition', () => {
  it('renders counters with HELP/TYPE, pre-set label sets and escaped label values; never decreases', () => {
    const c = new Counter<'reason'>('x_total', 'Things.', [{ reason: 'A' }]);
    c.inc({ reason: 'A' });
    c.inc({ reason: 'q"uote\\back\nline' }, 2);
    c.inc({ reason: 'A' }, -5);
    c.inc({ reason: 'A' }, Number.NaN);
    expect(c.render()).toBe(
      '# HELP x_total Things.\n# TYPE x_total counter\nx_total{reason="A"} 1\nx_total{reason="q\\"uote\\\\back\\nline"} 2\n',
    );
  });

  it('starts every rejection reason at 0 and renders gauges read at scrape time', async () => {
    const m = new Metrics();
    let n = 1;
    m.addGauge({ name: 'g', help: 'A gauge.', read: () => n });
    n = 7;
    const text = await m.render();
    expect(text).toContain('# TYPE g gauge\ng 7\n');
    expect(text).toContain('peerlobby_rejections_total{reason="RATE_LIMITED"} 0');
    expect(text).toContain('peerlobby_signals_relayed_total 0');
  });
});
