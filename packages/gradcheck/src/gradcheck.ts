import { describe, formatShape, type Tensor, typeError } from '@attograd/tensor';
import type { ComputeColumns } from './columns';
import { compareScalars } from './jacobian-comparison';
import { analyticProjections, directionalDerivative, randomDirections } from './directional';
import { fullReports, fullReportsWith, unchecked } from './full-jacobian';
import { checkedIndices, checkFn, checkInputs, now } from './inputs';
import { resolveOptions } from './options';
import { maxMagnitude, plural, prepareProblem, type Problem } from './problem';
import type { GradcheckFn, GradcheckOptions, GradcheckReport, InputReport } from './types';

/**
 * Checks the gradients autograd computes for `fn` at `inputs` against finite differences, for every
 * input with `requiresGrad`. Never throws because a gradient is wrong: it reports, naming the
 * input, the worst element and both values. Element pass rule: |a − n| ≤ atol + rtol·|n|.
 *
 * - `mode: 'full'` (default): the whole Jacobian. Numerically one column per input element (each
 *   element perturbed in place, fn rerun without recording — only the ops that element reaches,
 *   see the `partial` option — and the exact value restored);
 *   analytically one row per output element (one `gradients` call with a one-hot cotangent).
 * - `mode: 'fast'`: per checked input, the number vᵀJᵢuᵢ for seeded random unit v and uᵢ, by
 *   one backward pass and by a finite difference of s ↦ ⟨v, f(xᵢ + s·uᵢ)⟩ (their sum over i is
 *   PyTorch's fast-mode quantity). On a failure the full Jacobian is compared to name the element.
 *
 * fn receives the inputs themselves (so closures over them work), except that a non-leaf input is
 * passed as a fresh leaf sharing its buffer (its graph is left alone) and a float32 input as a
 * float64 copy. The inputs' data are restored bit for bit, and their `.grad` is never touched.
 *
 * @param fn `(...inputs) => Tensor`, deterministic.
 * @param inputs the tensors to call fn with; those with `requiresGrad` are checked.
 * @throws TypeError when fn is not a function or returns no tensor, when inputs is not an array of
 *   tensors or none requires gradients, or on an unknown option; RangeError on an option out of
 *   range (eps ≤ 0, negative atol, unknown mode or stencil).
 * @example
 * const x = randn([3, 4], { rng: rng(1), requiresGrad: true });
 * const report = gradcheck((x) => cube([x], {}), [x]);
 * if (!report.ok) console.log(formatReport(report));
 */
export function gradcheck(fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const { problem, started } = begin('gradcheck', fn, inputs, options);
  const reports = problem.settings.mode === 'fast' ? fastReports(problem) : fullReports(problem);
  return finish(problem, reports, started);
}

/**
 * Options of `gradcheckAsync`: those of `gradcheck`, and the hook that computes the numerical
 * Jacobian columns of a full comparison.
 *
 * @example
 * const options: GradcheckAsyncOptions = { computeColumns: async ({ inputs, computeHere }) => columnRanges(inputs, 1).map((range) => ({ range, values: computeHere(range) })) };
 */
export interface GradcheckAsyncOptions extends GradcheckOptions {
  /**
   * Computes the finite-difference columns of full mode, e.g. spread over worker threads that
   * rebuild fn and call `numericalJacobianColumns` with the request's eps and stencil. Default:
   * in this thread, as `gradcheck` does.
   */
  computeColumns?: ComputeColumns;
}

/**
 * `gradcheck` with the finite-difference columns of full mode computed by a hook (worker
 * threads, another process): the same checks, the same report object, the same warnings. The
 * hook is started before the analytic Jacobian is computed in this thread. Fast mode, and the
 * full comparison after a failed fast projection, run in this thread.
 *
 * @throws as `gradcheck`; a RangeError when the hook returns a range twice, misses one, or
 *   returns values that do not fit; whatever the hook rejects with.
 * @example
 * const report = await gradcheckAsync(fn, [x, w], { computeColumns: spreadOverWorkers });
 */
export async function gradcheckAsync(
  fn: GradcheckFn,
  inputs: readonly Tensor[],
  options: GradcheckAsyncOptions = {},
): Promise<GradcheckReport> {
  const { computeColumns, ...rest } = options;
  if (computeColumns !== undefined && typeof computeColumns !== 'function') {
    throw typeError('gradcheckAsync', `computeColumns must be a function, got ${describe(computeColumns)}`);
  }
  const { problem, started } = begin('gradcheckAsync', fn, inputs, rest);
  const { mode } = problem.settings;
  const reports =
    mode === 'fast'
      ? fastReports(problem)
      : computeColumns === undefined
        ? fullReports(problem)
        : await fullReportsWith(problem, computeColumns);
  return finish(problem, reports, started);
}

function begin(op: string, fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions): { problem: Problem; started: number } {
  const started = now();
  checkFn(op, fn);
  checkInputs(op, inputs);
  const settings = resolveOptions(op, options, ['eps', 'atol', 'rtol', 'mode', 'stencil', 'seed', 'partial', 'jacobians']);
  const checked = checkedIndices(op, inputs);
  return { problem: prepareProblem(op, fn, inputs, checked, settings), started };
}

function finish(problem: Problem, reports: InputReport[], started: number): GradcheckReport {
  const ok = verdict(problem, reports);
  const { mode, stencil, eps, atol, rtol } = problem.settings;
  const report: GradcheckReport = {
    ok,
    mode,
    stencil,
    eps,
    atol,
    rtol,
    seconds: now() - started,
    outputShape: problem.output.shape.slice(),
    inputs: reports,
    warnings: [...new Set(problem.warnings)], // a fast-mode fallback may repeat a backward warning
  };
  if (problem.jacobians !== undefined) report.jacobians = problem.jacobians;
  return report;
}

/** Fast mode, falling back to the full comparison when a projection disagrees. */
function fastReports(problem: Problem): InputReport[] {
  const { settings, tensors, checked } = problem;
  const directions = randomDirections(problem, settings.seed);
  const analytic = analyticProjections(problem, directions);
  if (analytic === null) return checked.map((index) => unchecked(index, tensors[index]));
  const fast = checked.map((index, t) => {
    const numeric = directionalDerivative(problem, t, directions, settings.eps, settings.stencil);
    return compareScalars(index, tensors[index].shape, analytic[t], numeric, settings);
  });
  const failed = fast.filter((report) => !report.ok);
  if (failed.length === 0) return fast;
  const list = failed.map(
    (r) => `${r.index} (vᵀJu ${r.directional?.analytic.toPrecision(8)} by autograd, ${r.directional?.numeric.toPrecision(8)} numerically)`,
  );
  problem.warnings.push(
    `fast mode: the random projection disagreed for ${plural('input', failed)} ${list.join(', ')}; ` +
      `compared the full Jacobian to locate the element`,
  );
  return fullReports(problem).map((report, t) => {
    if (fast[t].ok) return report;
    if (report.ok) {
      problem.warnings.push(
        `input ${report.index}: the fast-mode projection failed but every Jacobian element passes: ` +
          `the disagreement is at tolerance level (rerun with mode 'full' or a slightly larger atol)`,
      );
    }
    return { ...report, ok: false, directional: fast[t].directional };
  });
}

/** The overall result, adding a warning for everything that keeps it from a clean pass. */
function verdict(problem: Problem, reports: readonly InputReport[]): boolean {
  const { warnings, settings } = problem;
  for (const report of reports) {
    const where = `input ${report.index} (shape ${formatShape(report.shape)})`;
    if (report.vacuous) warnings.push(`${where} is VACUOUS: ${report.vacuousReason}`);
    if (report.worst !== null && !Number.isFinite(report.maxAbsError)) {
      const { inputIndex, outputIndex, analytic, numeric } = report.worst;
      warnings.push(
        `${where}: non-finite derivatives, first at input ${formatShape(inputIndex)} / output ${formatShape(outputIndex)} ` +
          `(analytic ${analytic}, numeric ${numeric})`,
      );
    }
  }
  const allVacuous = reports.every((report) => report.vacuous);
  if (allVacuous) warnings.push('every checked input is vacuous: the check proved nothing, so it is not a pass');
  const ok = problem.sound && !allVacuous && reports.every((report) => report.ok);
  const noise = (Number.EPSILON * maxMagnitude(problem.output.data)) / settings.eps;
  if (!ok && problem.sound && noise > settings.atol) {
    warnings.push(
      `fn's outputs reach ${maxMagnitude(problem.output.data).toExponential(1)}, so finite-difference round-off ` +
        `(about ε·max|f|/h = ${noise.toExponential(1)}) exceeds atol (${settings.atol}): a failure of that size may be ` +
        `round-off rather than a wrong gradient; compare with a larger atol`,
    );
  }
  return ok;
}
