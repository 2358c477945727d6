'use client';

import type { CheckState, ConnectionReport, Verdict } from '@/lib/client/connectionCheck';
import { formatRtt } from '../format/meshFormat';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { verdictText } from './verdictText';
import { useConnectionChecker } from './useConnectionChecker';

const VERDICT_DOT: Record<Verdict, string> = {
  direct: 'bg-emerald-400',
  turn: 'bg-sky-400',
  'relay-only': 'bg-amber-400',
  unknown: 'bg-slate-400',
};

/**
 * "Check my connection": what to expect from this network (direct, TURN, server relay) and the round
 * trip to the server. The result area keeps its height across states, and its changes are announced
 * (aria-live); the button stays focusable while checking (aria-disabled) so focus never drops to the page.
 */
export function ConnectionCheckCard({ className = '' }: { className?: string }) {
  const { state, check } = useConnectionChecker();
  const busy = state.kind === 'checking';
  return (
    <Card
      title="Your network"
      className={className}
      actions={
        <Button
          variant="secondary"
          aria-disabled={busy || !check}
          onClick={() => !busy && check?.()}
          className="shrink-0 aria-disabled:cursor-wait aria-disabled:text-slate-400"
        >
          Check my connection
        </Button>
      }
    >
      <div
        data-testid="connection-check"
        data-state={state.kind}
        data-verdict={state.kind === 'result' ? state.report.verdict : undefined}
        data-reason={state.kind === 'result' ? state.report.reason : undefined}
        data-rtt-ms={state.kind === 'result' ? Math.round(state.rttMs) : undefined}
        aria-live="polite"
        aria-busy={busy}
        className="min-h-36 text-sm"
      >
        <StateView state={state} />
      </div>
    </Card>
  );
}

function StateView({ state }: { state: CheckState }) {
  switch (state.kind) {
    case 'idle':
      return (
        <p className="text-slate-300">
          Find out whether other players can connect to you directly, and how far you are from the server.
        </p>
      );
    case 'checking':
      return state.previous ? (
        <ResultView report={state.previous.report} rttMs={state.previous.rttMs} checking />
      ) : (
        <p className="flex items-center gap-2 text-slate-200">
          <Spinner />
          Checking your connection… this takes up to 5 seconds.
        </p>
      );
    case 'error':
      return (
        <p className="text-rose-200" data-testid="connection-check-error">
          The check could not run: {state.message}
        </p>
      );
    case 'result':
      return <ResultView report={state.report} rttMs={state.rttMs} />;
  }
}

const Spinner = () => (
  <span
    aria-hidden
    className="size-4 shrink-0 animate-spin rounded-full border-2 border-slate-500 border-t-indigo-300"
  />
);

/** `checking`: the previous result stays in place, dimmed, under a "checking again" line of the same height. */
function ResultView({
  report,
  rttMs,
  checking = false,
}: {
  report: ConnectionReport;
  rttMs: number;
  checking?: boolean;
}) {
  const text = verdictText(report);
  return (
    <div>
      {checking ? (
        <p className="flex items-center gap-2 text-base font-semibold text-slate-200">
          <Spinner />
          Checking again…
        </p>
      ) : (
        <h3
          className="flex items-center gap-2 text-base font-semibold text-white"
          data-testid="connection-check-headline"
        >
          <span aria-hidden className={`size-2.5 shrink-0 rounded-full ${VERDICT_DOT[report.verdict]}`} />
          {text.headline}
        </h3>
      )}
      <p className={`mt-1 ${checking ? 'text-slate-400' : 'text-slate-300'}`}>{text.body}</p>
      <p className="mt-2 text-slate-300">
        Round trip to the server:{' '}
        <span className="font-semibold text-white tabular-nums" data-testid="connection-check-rtt">
          {formatRtt(rttMs)}
        </span>
      </p>
      <details className="mt-2 text-slate-300">
        <summary className="min-h-10 cursor-pointer py-2 font-medium text-indigo-300 hover:text-white">
          Details
        </summary>
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
          <dt className="text-slate-400">Candidates</dt>
          <dd className="text-slate-200">
            {report.found.host} host · {report.found.srflx} server-reflexive · {report.found.relay} relay
          </dd>
          <dt className="text-slate-400">Public address</dt>
          <dd className="break-all text-slate-200 tabular-nums" data-testid="connection-check-mapped">
            {report.mapped.length === 0
              ? 'none seen'
              : report.mapped
                  .map(
                    (m) =>
                      `${m.address}:${m.port}${m.from ? ` (via ${m.from === 'main' ? 'main' : 'second'} STUN port)` : ''}`,
                  )
                  .join(', ')}
          </dd>
          <dt className="text-slate-400">TURN relay</dt>
          <dd className="text-slate-200">{TURN_TEXT[report.turn]}</dd>
        </dl>
      </details>
    </div>
  );
}

const TURN_TEXT: Record<ConnectionReport['turn'], string> = {
  none: 'not configured on this server',
  untested: 'configured; tested once you are in a lobby',
  reached: 'reachable',
  unreached: 'not reachable from here',
};
