/** ICE candidate types of the selected pair: 'host', 'srflx', 'prflx' or 'relay'. */
export interface CandidatePair {
  local: string;
  remote: string;
}

type StatsEntry = Record<string, unknown> & { id?: string; type?: string };

/**
 * The selected candidate pair from a getStats() report: through the transport's
 * selectedCandidatePairId (Chromium, node-datachannel), else a nominated succeeded pair (Firefox's
 * `selected` too).
 */
export function selectedCandidatePair(report: RTCStatsReport): CandidatePair | null {
  const byId = new Map<string, StatsEntry>();
  report.forEach((value: StatsEntry, key: string) => byId.set(key, value));
  let pair: StatsEntry | undefined;
  for (const s of byId.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      pair = byId.get(s.selectedCandidatePairId);
      if (pair) break;
    }
  }
  if (!pair) {
    for (const s of byId.values()) {
      if (
        s.type === 'candidate-pair' &&
        (s.selected === true || (s.nominated === true && s.state === 'succeeded'))
      ) {
        pair = s;
        break;
      }
    }
  }
  if (!pair) return null;
  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  const type = (c: StatsEntry | undefined) =>
    typeof c?.candidateType === 'string' ? c.candidateType : 'unknown';
  return { local: type(local), remote: type(remote) };
}

/** Cumulative counters of one pair; the Mesh turns them into rates. */
export interface Traffic {
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
}

export const emptyTraffic = (): Traffic => ({ messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0 });

export interface Rates {
  messagesInPerS: number;
  bytesInPerS: number;
  messagesOutPerS: number;
  bytesOutPerS: number;
}

export function rates(now: Traffic, before: Traffic, elapsedMs: number): Rates {
  const per = (a: number, b: number) => (elapsedMs > 0 ? Math.round(((a - b) * 1000) / elapsedMs) : 0);
  return {
    messagesInPerS: per(now.messagesIn, before.messagesIn),
    bytesInPerS: per(now.bytesIn, before.bytesIn),
    messagesOutPerS: per(now.messagesOut, before.messagesOut),
    bytesOutPerS: per(now.bytesOut, before.bytesOut),
  };
}
