import { gradients, Tensor } from '@attograd/tensor';
import { analyticalRows } from './analytical';
import { compareJacobians } from './compare';
import { columnsOf } from './numerical';
import type { Problem } from './problem';
import type { InputReport } from './types';

/**
 * Full mode: the whole Jacobian block of every checked input, numeric column by column and
 * analytic row by row, compared element by element.
 */
export function fullReports(problem: Problem): InputReport[] {
  const { op, fn, tensors, checked, output, settings } = problem;
  const analytic = guardBackward(problem, () => analyticalRows(output, targetsOf(problem)));
  return checked.map((index, t) => {
    const input = tensors[index];
    if (analytic === null) return unchecked(index, input);
    const numeric = columnsOf(op, fn, tensors, index, 0, input.size, output.size, settings.eps, settings.stencil).values;
    return compareJacobians(index, input.shape, output.shape, analytic[t], numeric, settings);
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
