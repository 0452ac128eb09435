import type { Tensor } from '@attograd/tensor';
import { absoluteError } from './difference';
import { analyticProjections, directionalDerivative, randomDirections } from './directional';
import { checkedIndices, checkFn, checkInputs } from './inputs';
import { resolveOptions } from './options';
import { prepareProblem } from './problem';
import type { GradcheckFn, Stencil } from './types';

/**
 * Options of `stepSizeSweep`.
 *
 * @example
 * stepSizeSweep(fn, [x], { stencil: 'five-point', from: 1, to: 1e-8 });
 */
export interface SweepOptions {
  /** Seed of the random projections. Default 0. */
  seed?: number;
  /** Default `'central'`. */
  stencil?: Stencil;
  /** Largest relative step. Default 1e-1. */
  from?: number;
  /** Smallest relative step. Default 1e-10. */
  to?: number;
}

/**
 * One step size of a sweep and the error of the finite difference taken with it.
 *
 * @example
 * // { eps: 1e-5, maxAbsError: 3e-11, maxRelError: 2e-11 }
 */
export interface SweepRow {
  /** The relative step of this row: each element x is moved by h = eps·max(1, |x|). */
  eps: number;
  /** max over checked inputs of |a − n|. */
  maxAbsError: number;
  /** max over checked inputs of |a − n| / max(|a|, |n|) (0 when both are 0). */
  maxRelError: number;
}

/**
 * The finite-difference error as a function of the step: eps = from, from/10, … down to `to`
 * (default 1e-1 … 1e-10, ten rows). Large steps suffer truncation error (∝ h² central, h⁴
 * five-point), small ones round-off (∝ ε/h); plotted on log axes the rows draw a V whose bottom is
 * the best step.
 *
 * Measured fast-mode style, which makes every row cost two evaluations of fn per checked input
 * (four for five-point), whatever the size of the problem: with seeded random unit v and uᵢ, the
 * analytic vᵀJᵢuᵢ (one backward pass, shared by all rows) is compared with the finite difference
 * of s ↦ ⟨v, f(xᵢ + s·uᵢ)⟩ at step h = eps·max(1, ‖xᵢ‖∞). A random direction sees the function's
 * generic curvature, so the V shape does not depend on a lucky element. Assumes a correct
 * backward (the analytic values are the reference).
 *
 * @throws like `gradcheck` on a bad fn, inputs or options; RangeError when from < to; Error when the
 *   backward pass throws (there is no analytic reference to measure against).
 * @example
 * for (const row of stepSizeSweep((x) => cube([x], {}), [x])) console.log(row.eps, row.maxAbsError);
 */
export function stepSizeSweep(fn: GradcheckFn, inputs: readonly Tensor[], options: SweepOptions = {}): SweepRow[] {
  const op = 'stepSizeSweep';
  checkFn(op, fn);
  checkInputs(op, inputs);
  const settings = resolveOptions(op, options, ['seed', 'stencil', 'from', 'to']);
  const problem = prepareProblem(op, fn, inputs, checkedIndices(op, inputs), settings);
  const directions = randomDirections(problem, settings.seed);
  const analytic = analyticProjections(problem, directions);
  if (analytic === null) throw new Error(`${op}: ${problem.warnings[problem.warnings.length - 1]}`);
  return stepsBetween(settings.from, settings.to).map((eps) => {
    let maxAbsError = 0;
    let maxRelError = 0;
    analytic.forEach((a, t) => {
      const n = directionalDerivative(problem, t, directions, eps, settings.stencil);
      const diff = absoluteError(a, n);
      const magnitude = Math.max(Math.abs(a), Math.abs(n));
      maxAbsError = Math.max(maxAbsError, diff);
      maxRelError = Math.max(maxRelError, diff === 0 ? 0 : diff / magnitude);
    });
    return { eps, maxAbsError, maxRelError };
  });
}

/** from, from/10, from/100, … while ≥ to, rounded to 15 digits (so 1e-7 is 1e-7, not 9.999999999999999e-8). */
function stepsBetween(from: number, to: number): number[] {
  const steps: number[] = [];
  for (let k = 0; ; k++) {
    const eps = Number((from / 10 ** k).toPrecision(15));
    if (eps < to * (1 - 1e-9)) return steps;
    steps.push(eps);
  }
}
