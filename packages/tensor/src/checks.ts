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
