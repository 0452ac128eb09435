import { lineChartSvg } from '@attograd/explorer';

/** The line chart is the explorer's (one implementation for the page and the reports). */
export { lineChartSvg } from '@attograd/explorer';
export type { ChartSeries, LineChartOptions } from '@attograd/explorer';

/** A row of a step-size sweep (as `stepSizeSweep` of @attograd/gradcheck returns). */
export interface SweepPoint {
  readonly eps: number;
  readonly maxAbsError: number;
  readonly maxRelError: number;
}

/**
 * The step-size sweep as a log-log chart: step h against the largest absolute and relative
 * difference between finite differences and autograd (the V of truncation versus round-off).
 *
 * @example
 * sweepChartSvg(stepSizeSweep(fn, inputs), { title: 'softmax: error vs step' })
 */
export function sweepChartSvg(rows: readonly SweepPoint[], options: { title: string; xLabel?: string; yLabel?: string }): string {
  return lineChartSvg(
    [
      { name: 'max |a − n|', points: rows.map((row) => [row.eps, row.maxAbsError] as const) },
      { name: 'max relative', points: rows.map((row) => [row.eps, row.maxRelError] as const) },
    ],
    { title: options.title, xLabel: options.xLabel ?? 'step h', yLabel: options.yLabel ?? 'error' },
  );
}
