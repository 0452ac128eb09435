import { isFloatDType } from './dtype';
import { describe, formatShape, rangeError, typeError } from './errors';
import { Tensor } from './tensor';

/**
 * The argument checks every op and every attention stage share: each error names the function
 * the user called, the argument and its shape.
 */

/**
 * Throws a TypeError unless `value` is a Tensor of any dtype, int32 indices included (for
 * arguments that are not differentiated: indices, masks, conditions).
 *
 * @example
 * const ids = checkAnyTensor('Embedding.forward', 'ids', value);
 */
export function checkAnyTensor(op: string, argument: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    const hint = Array.isArray(value) ? ' (wrap arrays with tensor(...))' : '';
    throw typeError(op, `${argument} must be a Tensor, got ${describe(value)}${hint}`);
  }
  return value;
}

/**
 * Throws a TypeError unless `value` is a float64 or float32 Tensor: the check of every
 * differentiable argument. An int32 tensor (indices) gets an error naming its shape.
 *
 * @example
 * const x = checkTensor('softmax', 'x', value);
 */
export function checkTensor(op: string, argument: string, value: unknown): Tensor {
  const x = checkAnyTensor(op, argument, value);
  if (!isFloatDType(x.dtype)) {
    throw typeError(
      op,
      `${argument} is an int32 tensor of shape ${formatShape(x.shape)}, but ${op} needs float64 or float32 values (convert with .to('float64'))`,
    );
  }
  return x;
}

/**
 * Throws a RangeError unless `x` has at least `rank` axes; `layout` (e.g. `'[..., T, d]'`) says
 * what the axes mean.
 *
 * @example
 * checkMinRank('scores', 'q', q, 2, '[..., T, d_k]');
 */
export function checkMinRank(op: string, argument: string, x: Tensor, rank: number, layout?: string): void {
  if (x.rank >= rank) return;
  if (layout === undefined) throw rangeError(op, `${argument} must have at least ${rank} axes, got shape ${formatShape(x.shape)}`);
  throw rangeError(op, `${argument} must have shape ${layout} (at least ${rank} axes), got ${formatShape(x.shape)}`);
}

/**
 * Returns `value` when it is an integer ≥ `min` (a size, a count, a period); otherwise throws,
 * naming the function and the argument: a TypeError when it is not a number at all, a RangeError
 * when it is a number but not an integer ≥ `min` (NaN, ±∞ and fractions included). The one check
 * of integer arguments that the layers (@attograd/nn) and the optimizers (@attograd/optim) share.
 *
 * @example
 * const stepSize = checkInteger('StepLR', 'stepSize', options.stepSize, 1);
 * checkInteger('Linear', 'inFeatures', 0, 1); // RangeError: Linear: inFeatures must be an integer ≥ 1, got 0
 */
export function checkInteger(op: string, argument: string, value: unknown, min: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  // A number is shown as it is (`got 2.5`), anything else described (`got the string "3"`).
  if (typeof value === 'number') throw rangeError(op, `${argument} must be an integer ≥ ${min}, got ${value}`);
  throw typeError(op, `${argument} must be an integer ≥ ${min}, got ${describe(value)}`);
}
