import { gradients, rangeError, Tensor } from '@attograd/tensor';
import { analyticalRows } from './analytical';
import type { ColumnRange, ComputeColumns, ComputedColumns } from './columns';
import { compareJacobians } from './jacobian-comparison';
import { columnsOf, transpose } from './numerical';
import { partiallyReevaluated } from './partial-reevaluation';
import type { Problem } from './problem';
import type { InputReport } from './types';

/**
 * Full mode: the whole Jacobian block of every checked input, numeric column by column and
 * analytic row by row, compared element by element.
 */
export function fullReports(problem: Problem): InputReport[] {
  const analytic = guardBackward(problem, () => analyticalRows(problem.output, targetsOf(problem)));
  const numeric = problem.checked.map((index) => columnsHere(problem, { inputIndex: index, start: 0, end: problem.tensors[index].size }));
  return compareBlocks(problem, analytic, numeric);
}

/**
 * Full mode with the columns computed by `computeColumns` (e.g. on worker threads): the hook is
 * started first, the analytic Jacobian computed meanwhile, then the same comparison as `fullReports`.
 */
export async function fullReportsWith(problem: Problem, computeColumns: ComputeColumns): Promise<InputReport[]> {
  const { checked, tensors, output, settings } = problem;
  const pending = computeColumns({
    inputs: checked.map((index) => ({ inputIndex: index, size: tensors[index].size })),
    outputSize: output.size,
    eps: settings.eps,
    stencil: settings.stencil,
    computeHere: (range) => columnsHere(problem, range),
  });
  const analytic = guardBackward(problem, () => analyticalRows(output, targetsOf(problem)));
  const numeric = assemble(problem, await pending);
  return compareBlocks(problem, analytic, numeric);
}

/** A range of numerical columns in this thread, re-evaluating only what changes when allowed. */
function columnsHere(problem: Problem, range: ColumnRange): Float64Array {
  const { op, tensors, output, settings } = problem;
  if (problem.columnsFn === undefined) {
    problem.columnsFn = settings.partial && problem.sound ? partiallyReevaluated(problem.fn, tensors, settings.eps) : problem.fn;
  }
  return columnsOf(op, problem.columnsFn, tensors, range.inputIndex, range.start, range.end, output.size, settings.eps, settings.stencil)
    .values;
}

/** The hook's ranges put together into one column-major block per checked input; each column exactly once. */
function assemble(problem: Problem, computed: readonly ComputedColumns[]): Float64Array[] {
  const { checked, tensors, output, op } = problem;
  const blocks = checked.map((index) => new Float64Array(tensors[index].size * output.size));
  const seen = checked.map((index) => new Uint8Array(tensors[index].size));
  for (const { range, values } of computed) {
    const t = checked.indexOf(range.inputIndex);
    const ok =
      t >= 0 &&
      range.start >= 0 &&
      range.end <= tensors[range.inputIndex].size &&
      values.length === (range.end - range.start) * output.size;
    if (!ok)
      throw rangeError(op, `computeColumns returned a range that does not fit: ${JSON.stringify(range)} with ${values.length} values`);
    blocks[t].set(values, range.start * output.size);
    for (let k = range.start; k < range.end; k++) seen[t][k]++;
  }
  seen.forEach((counts, t) => {
    const wrong = counts.findIndex((count) => count !== 1);
    if (wrong >= 0)
      throw rangeError(op, `computeColumns returned column ${wrong} of input ${checked[t]} ${counts[wrong]} times (once is needed)`);
  });
  return blocks;
}

/** Compares each checked input's blocks; keeps them in `problem.jacobians` when asked to. */
function compareBlocks(problem: Problem, analytic: Float64Array[] | null, numeric: Float64Array[]): InputReport[] {
  const { tensors, checked, output, settings } = problem;
  if (analytic !== null && settings.jacobians) {
    problem.jacobians = checked.map((index, t) => {
      const shape = [output.size, tensors[index].size];
      return {
        index,
        analytic: new Tensor(analytic[t], shape),
        numeric: new Tensor(transpose(numeric[t], tensors[index].size, output.size), shape),
      };
    });
  }
  return checked.map((index, t) => {
    const input = tensors[index];
    if (analytic === null) return unchecked(index, input);
    return compareJacobians(index, input.shape, output.shape, analytic[t], numeric[t], settings);
  });
}

/** The working tensors of the checked inputs. */
export function targetsOf(problem: Problem): Tensor[] {
  return problem.checked.map((index) => problem.tensors[index]);
}

/**
 * Runs an analytic computation, turning what can go wrong in a backward pass into warnings:
 * an output that does not require gradients (every derivative is then zero, and the comparison
 * will say so) or a gradient rule that throws (returns null: nothing can be compared).
 */
export function guardBackward<T>(problem: Problem, compute: () => T): T | null {
  if (!problem.output.requiresGrad) {
    problem.warnings.push(
      `fn's output does not require gradients: no recorded op connects it to a checked input (was it computed under ` +
        `noGrad, detached, or from a tensor captured by fn instead of fn's arguments?); every analytic derivative is zero`,
    );
  }
  try {
    return compute();
  } catch (error) {
    problem.sound = false;
    const message = error instanceof Error ? error.message : String(error);
    problem.warnings.push(`the backward pass threw, so no gradient could be compared: ${message}`);
    return null;
  }
}

/** The vector-Jacobian products of the recorded output with cotangent `cotangent`, one per checked input. */
export function vjps(problem: Problem, cotangent: Tensor): Tensor[] {
  const targets = targetsOf(problem);
  if (!problem.output.requiresGrad) return targets.map((target) => new Tensor(new Float64Array(target.size), target.shape));
  return gradients(problem.output, targets, { gradOutput: cotangent, retainGraph: true, allowUnused: true });
}

/** The report of an input that could not be compared (its backward threw). */
export function unchecked(index: number, input: Tensor): InputReport {
  return {
    index,
    shape: input.shape.slice(),
    ok: false,
    maxAbsError: NaN,
    maxRelError: NaN,
    normRelError: NaN,
    worst: null,
    vacuous: false,
  };
}
