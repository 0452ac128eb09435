import { compareThreeWays, type Difference, type GradientComparison, type RegistryEntry, type StageInputs } from '@attograd/attention';
import { largestDifference } from '@attograd/gradcheck';
import type { Tensor } from '@attograd/tensor';

/** Hand-derived, autograd and finite differences agree when their relative difference is below this. */
export const AGREEMENT_TOLERANCE = 1e-6;

/** One stage run on given inputs, with its gradients computed three ways. */
export interface StageComparison {
  /** The inputs the stage ran on. */
  readonly inputs: StageInputs;
  /** The stage's output (detached). */
  readonly output: Tensor;
  /** The upstream gradient dOut the comparison contracts with. */
  readonly dOut: Tensor;
  /** One comparison per differentiable input, in the registry's `inputNames` order. */
  readonly gradients: readonly GradientComparison[];
  /** The largest difference of any pair, for any input. */
  readonly largest: Difference;
  /** largest.relative ≤ AGREEMENT_TOLERANCE, and nothing is NaN. */
  readonly agree: boolean;
}

/**
 * @attograd/attention's `compareThreeWays` for a stage (or a link of the training topics) with a given upstream gradient (the one the example's
 * backward pass delivers to this stage) instead of a fresh random one: the gradient of
 * ⟨stage(inputs), dOut⟩ by `manualBackward`, by autograd and by central differences.
 *
 * @example
 * const { largest } = compareStage(stageByKey('softmax'), { sHat }, dP);
 */
export function compareStage(
  stage: Pick<RegistryEntry, 'key' | 'inputNames' | 'run' | 'manualBackward'>,
  inputs: StageInputs,
  dOut: Tensor,
): StageComparison {
  const { output, gradients: comparisons } = compareThreeWays(stage, inputs, { cotangent: dOut });
  const pairs = comparisons.flatMap((c) => [c.manualVsAutograd, c.manualVsNumeric, c.autogradVsNumeric]);
  const largest = largestDifference(pairs);
  const agree = Number.isFinite(largest.relative) && largest.relative <= AGREEMENT_TOLERANCE;
  return { inputs, output, dOut, gradients: comparisons, largest, agree };
}

/** The softmax Jacobian of one actual row of P, and the check that J·dP(row) is that row of dŜ. */
export interface RowJacobian {
  /** Which row (of the first matrix when P has batch or head axes). */
  readonly row: number;
  readonly p: readonly number[];
  /** J = diag(p) − p pᵀ, row by row. */
  readonly jacobian: readonly (readonly number[])[];
  readonly dP: readonly number[];
  /** J·dP(row), which equals Jᵀ·dP(row) since J is symmetric. */
  readonly jacobianTimesDP: readonly number[];
  /** The same row of the hand-derived dŜ. */
  readonly dSHat: readonly number[];
  /** max |J·dP(row) − dŜ(row)|. */
  readonly maxAbs: number;
}

/**
 * Builds diag(p) − ppᵀ for row `row` of P (the last row by default: with a causal mask it is the
 * one that sees every key) with plain arithmetic, independent of the op's rule.
 *
 * @example
 * rowJacobian(p, dP, dSHat).jacobian // T×T, rows summing to 0
 */
export function rowJacobian(p: Tensor, dP: Tensor, dSHat: Tensor, row = p.shape[p.rank - 2] - 1): RowJacobian {
  const length = p.shape[p.rank - 1];
  const slice = (t: Tensor): number[] => Array.from(t.data.subarray(row * length, (row + 1) * length));
  const [probabilities, upstream, handDerived] = [slice(p), slice(dP), slice(dSHat)];
  const jacobian = probabilities.map((pi, i) => probabilities.map((pj, j) => (i === j ? pi : 0) - pi * pj));
  const jacobianTimesDP = jacobian.map((jRow) => jRow.reduce((total, value, j) => total + value * upstream[j], 0));
  const maxAbs = Math.max(...jacobianTimesDP.map((value, i) => Math.abs(value - handDerived[i])));
  return { row, p: probabilities, jacobian, dP: upstream, jacobianTimesDP, dSHat: handDerived, maxAbs };
}
