import { allocate, type DType, describe, formatShape, rangeError, shapesEqual, Tensor, type TensorData, typeError } from '@attograd/tensor';
import { checkIndices, checkMinRank, checkTensor } from './checks';
import { div } from './div';
import { reshape } from './reshape';

/** How a loss combines the per-row losses: their mean over counted rows, their sum, or none (one loss per row). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Throws unless `value` is a reduction name; returns it ('mean' when undefined). */
export function checkReduction(op: string, value: unknown): Reduction {
  const reduction = value ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw typeError(op, `reduction must be 'mean', 'sum' or 'none', got ${describe(value)}`);
  }
  return reduction;
}

/** The (logits, targets) pair of a classification loss: float [..., C] and int32 [...], targets in [0, C) or ignoreIndex. */
export function checkClassTargets(op: string, inputName: string, input: Tensor, targets: Tensor, ignoreIndex: number): number {
  checkTensor(op, inputName, input);
  checkMinRank(op, inputName, input, 1);
  checkIndices(op, 'targets', targets);
  const rowShape = input.shape.slice(0, -1);
  if (!shapesEqual(targets.shape, rowShape)) {
    throw rangeError(
      op,
      `targets must have shape ${formatShape(rowShape)} (${inputName} ${formatShape(input.shape)} without its class axis), got ${formatShape(targets.shape)}`,
    );
  }
  if (!Number.isInteger(ignoreIndex)) throw typeError(op, `ignoreIndex must be an integer, got ${describe(ignoreIndex)}`);
  const classes = input.shape[input.rank - 1];
  for (let r = 0; r < targets.size; r++) {
    const t = targets.data[r];
    if (t !== ignoreIndex && (t < 0 || t >= classes)) {
      throw rangeError(
        op,
        `targets[${r}] (flat position) is ${t}, outside [0, ${classes}) for ${inputName} ${formatShape(input.shape)} (and not ignoreIndex ${ignoreIndex})`,
      );
    }
  }
  return classes;
}

/**
 * Which rows of a classification loss count: u_r = 1 where the target is not `ignoreIndex`, else 0,
 * and N = Σ_r u_r, the divisor of the mean.
 */
export function countedRows(targets: Tensor, ignoreIndex: number, dtype: DType): { counted: TensorData; count: number } {
  const counted = allocate(dtype, targets.size);
  let count = 0;
  for (let r = 0; r < targets.size; r++) {
    if (targets.data[r] === ignoreIndex) continue;
    counted[r] = 1;
    count += 1;
  }
  return { counted, count };
}

/**
 * The forward reduction of a classification loss: the per-row losses [...rowShape] themselves
 * ('none'), their sum, or their mean over the `count` counted rows (0/0 = NaN when no row counts,
 * as PyTorch).
 */
export function reduceRowLosses(
  losses: TensorData,
  rowShape: readonly number[],
  reduction: Reduction,
  count: number,
  dtype: DType,
): Tensor {
  if (reduction === 'none') return new Tensor(losses, rowShape);
  let sum = 0;
  for (let r = 0; r < losses.length; r++) sum += losses[r];
  const output = allocate(dtype, 1);
  output[0] = reduction === 'sum' ? sum : sum / count;
  return new Tensor(output, []);
}

/**
 * The weight w_r each row's gradient is scaled by, shaped to broadcast against [..., C]: dL/N for
 * 'mean' (N the counted rows; max(N, 1), so no counted row gives a NaN loss but a zero gradient, as
 * PyTorch), dL for 'sum', and dℓ_r as a column [..., 1] for 'none'. Ignored rows are zeroed by the
 * caller's own row mask.
 */
export function rowLossWeights(dL: Tensor, reduction: Reduction, count: number): Tensor {
  if (reduction === 'none') return reshape(dL, [...dL.shape, 1]);
  return reduction === 'mean' ? div(dL, Math.max(count, 1)) : dL;
}
