/**
 * Side-by-side timing for a loaded machine: the candidates run interleaved, round after round
 * (each round times a short batch of every candidate, in rotating order), so a burst of load from
 * elsewhere slows all of them alike. A candidate's time is the median over rounds; a ratio is the
 * median of the per-round ratios, with its interquartile range as the noise.
 */
export interface SideBySide {
  /** Median milliseconds per call, by candidate. */
  medianMs: Record<string, number>;
  /** Per-round time ratios against `baseline` (baseline time / candidate time): median, 25th and 75th percentiles. */
  ratio: Record<string, { median: number; low: number; high: number }>;
  rounds: number;
  /** Milliseconds per call of every round, by candidate (for ratios against another candidate). */
  times: Record<string, number[]>;
}

function percentile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

const sortedCopy = (values: readonly number[]) => [...values].sort((p, q) => p - q);

/**
 * Times every candidate (a function doing the work once) for `rounds` rounds of `batch` calls,
 * after `warmup` calls each. Ratios are against the candidate named `baseline`.
 */
export function sideBySide(
  candidates: Record<string, () => unknown>,
  baseline: string,
  { rounds = 31, batch = 5, warmup = 20, collect = false }: { rounds?: number; batch?: number; warmup?: number; collect?: boolean } = {},
): SideBySide {
  // With `collect` (and node --expose-gc), a full collection runs before every timed batch, outside
  // the timing: the collection a batch's garbage triggers then falls on no particular candidate.
  const gc = collect ? (globalThis as { gc?: () => void }).gc : undefined;
  const names = Object.keys(candidates);
  for (const name of names) for (let i = 0; i < warmup; i++) candidates[name]();
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      const run = candidates[name];
      gc?.();
      const started = performance.now();
      for (let i = 0; i < batch; i++) run();
      times[name].push((performance.now() - started) / batch);
    }
  }
  const medianMs: Record<string, number> = {};
  const ratio: SideBySide['ratio'] = {};
  for (const name of names) medianMs[name] = percentile(sortedCopy(times[name]), 0.5);
  for (const name of names) ratio[name] = summarize(times[name].map((t, round) => times[baseline][round] / t));
  return { medianMs, ratio, rounds, times };
}

/** Median and interquartile range of per-round ratios. */
export function summarize(ratios: readonly number[]): { median: number; low: number; high: number } {
  const sorted = sortedCopy(ratios);
  return { median: percentile(sorted, 0.5), low: percentile(sorted, 0.25), high: percentile(sorted, 0.75) };
}

/** "0.62 (0.55–0.70)": a ratio with its interquartile range. */
export function formatRatio({ median, low, high }: { median: number; low: number; high: number }): string {
  return `${median.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;
}
