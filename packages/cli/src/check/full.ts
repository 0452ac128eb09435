import {
  analyticalJacobian, CENTRAL_EPS, compareJacobians, DEFAULT_ATOL, DEFAULT_RTOL, FIVE_POINT_EPS, gradcheck, numericalJacobianColumns,
  type GradcheckOptions, type GradcheckReport, type InputReport,
} from '@attograd/gradcheck';
import { formatShape, noGrad, sizeOf, type Tensor } from '@attograd/tensor';
import { columnRanges, type ColumnPool, type ColumnWork } from './parallel';
import { fingerprint } from './rebuild';
import { checkedIndices } from './second-order';
import type { CheckCase, CheckSettings, CheckSource, Derivative } from './types';

/**
 * Running one gradcheck. Small checks run in this thread through `gradcheck` itself. A full-mode
 * check whose finite differences would take long spreads its columns over the threads (worker
 * threads start on them while this thread computes the analytic Jacobian, then this thread
 * joins), and compares with gradcheck's own `compareJacobians`: the numbers are the same either
 * way, only the wall time differs.
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
 * Checks `c` with the settings: fast mode and small full checks in this thread, large full checks
 * with `pool`. `onFraction` hears the share of finite-difference columns done.
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
  const options = gradcheckOptions(settings);
  if (settings.mode === 'full' && pool !== null && worthSpreading(c, settings)) {
    return { report: await parallelFull(c, origin, settings, pool, onFraction), workers: pool.threads };
  }
  return { report: gradcheck(c.fn, c.inputs, options), workers: 1 };
}

/**
 * True when the finite differences are estimated to take over `settings.parallelMinSeconds`, from the time
 * of one evaluation with one element of the largest checked input perturbed (so that an fn that
 * re-evaluates only what changed is timed doing so). False too when two evaluations at the same
 * point differ: gradcheck itself then reports fn as non-deterministic.
 */
function worthSpreading(c: CheckCase, settings: CheckSettings): boolean {
  const checked = checkedIndices(c);
  const largest = c.inputs[checked.reduce((best, i) => (c.inputs[i].size > c.inputs[best].size ? i : best), checked[0])];
  const evaluate = (): Tensor => noGrad(() => c.fn(...c.inputs));
  const first = evaluate().data.slice();
  const second = evaluate().data;
  if (!(first.length === second.length && first.every((v, i) => Object.is(v, second[i])))) return false;
  const original = largest.data[0];
  let seconds = Infinity;
  try {
    largest.data[0] = original + Math.max(1, Math.abs(original)) * 1e-3;
    // The fastest of many: the first evaluations run cold (before the JIT compiles the ops).
    for (let trial = 0; trial < 40; trial++) {
      const started = performance.now();
      evaluate();
      seconds = Math.min(seconds, (performance.now() - started) / 1000);
    }
  } finally {
    largest.data[0] = original;
  }
  const columns = checked.reduce((sum, i) => sum + c.inputs[i].size, 0);
  const evaluations = settings.stencil === 'central' ? 2 : 4;
  return seconds * columns * evaluations >= settings.parallelMinSeconds;
}

/**
 * Every column of the checked inputs as jobs for the pool, and where their values go: the
 * numerical Jacobian block of each input (column-major, as `compareJacobians` reads it).
 */
function columnJobs(
  c: CheckCase,
  origin: CheckOrigin,
  settings: CheckSettings,
  pool: ColumnPool,
  outputSize: number,
  onFraction: (fraction: number) => void,
): { work: ColumnWork; numeric: Map<number, Float64Array> } {
  const checked = checkedIndices(c);
  const numeric = new Map(checked.map((i) => [i, new Float64Array(c.inputs[i].size * outputSize)]));
  const ranges = columnRanges(checked.map((i) => [i, c.inputs[i].size] as const), pool.threads);
  const total = ranges.reduce((sum, r) => sum + r.end - r.start, 0);
  const common = { ...origin, eps: settings.eps, stencil: settings.stencil, fingerprint: fingerprint(c) };
  let done = 0;
  const work = pool.start(ranges.map((range) => ({ ...common, ...range })), (job, values) => {
    numeric.get(job.inputIndex)?.set(values, job.start * outputSize);
    done += job.end - job.start;
    onFraction(done / total);
  });
  return { work, numeric };
}

/**
 * Full mode over several threads: the worker threads start on the columns while this thread
 * computes the analytic Jacobian, then this thread takes columns too.
 */
async function parallelFull(
  c: CheckCase,
  origin: CheckOrigin,
  settings: CheckSettings,
  pool: ColumnPool,
  onFraction: (fraction: number) => void,
): Promise<GradcheckReport> {
  const started = performance.now();
  const outputShape = noGrad(() => c.fn(...c.inputs)).shape.slice();
  const { work, numeric } = columnJobs(c, origin, settings, pool, sizeOf(outputShape), onFraction);
  const warnings: string[] = [];
  const analytic = analyticOrNull(c, warnings);
  const options = settings.eps === undefined ? { stencil: settings.stencil } : { stencil: settings.stencil, eps: settings.eps };
  await work.helpHere((job) => numericalJacobianColumns(c.fn, c.inputs, job.inputIndex, job.start, job.end, options).values);
  await work.finished;
  const tolerance = { atol: settings.atol ?? DEFAULT_ATOL, rtol: settings.rtol ?? DEFAULT_RTOL };
  const inputs = checkedIndices(c).map((index, t): InputReport => {
    const shape = c.inputs[index].shape;
    if (analytic === null) return { index, shape: shape.slice(), ok: false, maxAbsError: NaN, maxRelError: NaN, normRelError: NaN, worst: null, vacuous: false };
    return compareJacobians(index, shape, outputShape, analytic[t].data as Float64Array, numeric.get(index) as Float64Array, tolerance);
  });
  return {
    ok: analytic !== null && verdict(inputs, warnings),
    mode: 'full',
    stencil: settings.stencil,
    eps: settings.eps ?? (settings.stencil === 'central' ? CENTRAL_EPS : FIVE_POINT_EPS),
    ...tolerance,
    seconds: (performance.now() - started) / 1000,
    outputShape,
    inputs,
    warnings,
  };
}

function analyticOrNull(c: CheckCase, warnings: string[]): Tensor[] | null {
  try {
    return analyticalJacobian(c.fn, c.inputs);
  } catch (error) {
    warnings.push(`the backward pass threw, so no gradient could be compared: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** gradcheck's rule: every input passes and not every input is vacuous; with its warnings. */
function verdict(inputs: readonly InputReport[], warnings: string[]): boolean {
  for (const report of inputs) {
    if (report.vacuous) warnings.push(`input ${report.index} (shape ${formatShape(report.shape)}) is VACUOUS: ${report.vacuousReason}`);
  }
  const allVacuous = inputs.every((report) => report.vacuous);
  if (allVacuous) warnings.push('every checked input is vacuous: the check proved nothing, so it is not a pass');
  return !allVacuous && inputs.every((report) => report.ok);
}
