import {
  columnRanges,
  gradcheckAsync,
  type ColumnsRequest,
  type ComputeColumns,
  type ComputedColumns,
  type GradcheckOptions,
  type GradcheckReport,
} from '@attograd/gradcheck';
import type { ColumnPool } from './parallel';
import { fingerprint } from './rebuild';
import type { CheckCase, CheckSettings, CheckSource, Derivative } from './types';

/**
 * Scheduling one gradcheck. @attograd/gradcheck does all the checking (partial re-evaluation,
 * comparison, verdict, warnings); this command only decides where the finite-difference columns
 * of a full-mode check are computed: in this thread, or — when they would take long — spread
 * over worker threads through gradcheck's `computeColumns` hook (the worker threads start on the
 * columns while this thread computes the analytic Jacobian, then this thread joins). The report
 * is the same object either way; only the wall time differs.
 */

/**
 * The gradcheck options the settings give (undefined ones keep gradcheck's defaults).
 *
 * @example
 * gradcheck(c.fn, c.inputs, gradcheckOptions(settings));
 */
export function gradcheckOptions(settings: CheckSettings): GradcheckOptions {
  const options: GradcheckOptions = { mode: settings.mode, stencil: settings.stencil, seed: settings.seed };
  if (settings.eps !== undefined) options.eps = settings.eps;
  if (settings.atol !== undefined) options.atol = settings.atol;
  if (settings.rtol !== undefined) options.rtol = settings.rtol;
  if (settings.html !== undefined) options.jacobians = true; // the HTML report draws analytic − numeric
  return options;
}

/**
 * Where a check comes from, so worker threads can rebuild it.
 *
 * @example
 * const origin: CheckOrigin = { source: spec.source, derivative: { order: 1 } };
 */
export interface CheckOrigin {
  source: CheckSource;
  derivative: Derivative;
}

/**
 * Checks `c` with the settings, its full-mode columns spread over `pool` when worth it.
 * `onFraction` hears the share of finite-difference columns done.
 *
 * @example
 * const { report, workers } = await runGradcheck(c, origin, settings, pool, () => {});
 */
export async function runGradcheck(
  c: CheckCase,
  origin: CheckOrigin,
  settings: CheckSettings,
  pool: ColumnPool | null,
  onFraction: (fraction: number) => void,
): Promise<{ report: GradcheckReport; workers: number }> {
  let workers = 1;
  const computeColumns: ComputeColumns | undefined =
    pool === null
      ? undefined
      : async (request) => {
          if (!worthSpreading(request, settings)) return columnsHere(request);
          workers = pool.threads;
          return spread(c, origin, pool, request, onFraction);
        };
  const report = await gradcheckAsync(c.fn, c.inputs, { ...gradcheckOptions(settings), computeColumns });
  return { report, workers };
}

function columnsHere(request: ColumnsRequest): ComputedColumns[] {
  return columnRanges(request.inputs, 1).map((range) => ({ range, values: request.computeHere(range) }));
}

/**
 * True when the finite differences are estimated to take over `settings.parallelMinSeconds`, from
 * the time of one column of the largest checked input computed in this thread (as gradcheck does
 * it: re-evaluating only what the perturbation reaches); the fastest of several, since the first
 * run cold (before the JIT compiles the ops).
 */
function worthSpreading(request: ColumnsRequest, settings: CheckSettings): boolean {
  const largest = request.inputs.reduce((best, input) => (input.size > best.size ? input : best), request.inputs[0]);
  if (largest === undefined || largest.size === 0) return false;
  let seconds = Infinity;
  for (let trial = 0; trial < 20; trial++) {
    const started = performance.now();
    request.computeHere({ inputIndex: largest.inputIndex, start: 0, end: 1 });
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
  }
  const columns = request.inputs.reduce((sum, input) => sum + input.size, 0);
  return seconds * columns >= settings.parallelMinSeconds;
}

/** Every column over the pool's threads, this one included; each range reports its share done. */
async function spread(
  c: CheckCase,
  origin: CheckOrigin,
  pool: ColumnPool,
  request: ColumnsRequest,
  onFraction: (fraction: number) => void,
): Promise<ComputedColumns[]> {
  const ranges = columnRanges(request.inputs, pool.threads);
  const total = ranges.reduce((sum, r) => sum + r.end - r.start, 0);
  const common = { ...origin, eps: request.eps, stencil: request.stencil, fingerprint: fingerprint(c) };
  const computed: ComputedColumns[] = [];
  let done = 0;
  const work = pool.start(
    ranges.map((range) => ({ ...common, ...range })),
    (job, values) => {
      computed.push({ range: { inputIndex: job.inputIndex, start: job.start, end: job.end }, values });
      done += job.end - job.start;
      onFraction(done / total);
    },
  );
  // Let gradcheck compute the analytic Jacobian while the worker threads start, then help.
  await new Promise((resolve) => setImmediate(resolve));
  await work.helpHere((job) => request.computeHere(job));
  await work.finished;
  return computed;
}
