import { describe, formatShape, rangeError, shapesEqual, type Tensor, typeError } from '@attograd/tensor';
import { checkIndices, checkMinRank, checkTensor } from './checks';

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
