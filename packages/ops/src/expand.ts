import { broadcastTo, formatShape, rangeError, type Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'expand',
  definition: 'Y = X repeated along axes of size 1 (and new leading axes) to `shape`; −1 keeps a dimension  (= broadcastTo)',
  kind: 'linear',
  backward: { x: 'dX = sumToShape(dY, shape of X): the sum over every repeated copy' },
  steps: [
    'each element of X appears in Y once per copy',
    'so its gradient is the sum of the gradients of its copies: the adjoint of broadcasting is summing',
  ],
  saves: 'the input shape',
};

/**
 * Repeats x along its axes of size 1 (and new leading axes) to reach `shape`, as torch's
 * expand: −1 keeps x's dimension. The gradient sums over the copies. (broadcastTo from
 * @attograd/tensor is the same without −1.)
 *
 * @throws TypeError when x is not a float Tensor or shape not an array; RangeError when x does not
 * broadcast to shape.
 * @example
 * expand(tensor([[1], [2]]), [-1, 3]) // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('expand', 'x', x);
  if (!Array.isArray(shape)) throw typeError('expand', `shape must be an array, got ${String(shape)}`);
  const offset = shape.length - x.rank;
  if (offset < 0) throw rangeError('expand', `shape ${formatShape(shape)} has fewer axes than x ${formatShape(x.shape)}`);
  const resolved = shape.map((size, d) => {
    if (size !== -1) return size;
    if (d < offset) throw rangeError('expand', `−1 is not allowed for the new leading axis ${d} of shape ${formatShape(shape)}`);
    return x.shape[d - offset];
  });
  const fits = x.shape.every((size, d) => size === 1 || size === resolved[offset + d]);
  if (!fits || resolved.some((size) => !Number.isInteger(size) || size < 0)) {
    throw rangeError('expand', `x of shape ${formatShape(x.shape)} does not expand to ${formatShape(shape)}`);
  }
  return broadcastTo(x, resolved);
}
