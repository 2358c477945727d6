/** Small helpers shared by the benchmark sections. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** The lower middle sample (a value that was measured), as the per-run figures use it. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return percentile(
    [...finite].sort((a, b) => a - b),
    0.5,
  );
}

/** The middle value; with an even count, the mean of the two middle ones (across runs: bench:compare). */
export function trueMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (v: number, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export function ratio(ours: number | null, floor: number | null): number | null {
  if (ours === null || floor === null || !Number.isFinite(ours) || !Number.isFinite(floor) || floor === 0)
    return null;
  return Number((ours / floor).toFixed(2));
}
