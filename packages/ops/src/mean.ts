import { sizeOf, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { div } from './div';
import { resolveReduction } from './kernels/reduce';
import { scale } from './scale';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'mean',
  definition: 'Y = (1/n) Σ over the given axes of X, n = the number of elements summed',
  kind: 'composite',
  backward: { x: 'dX = broadcast(dY) / n' },
  steps: ['mean = scale(sum(X), 1/n): the gradient comes from sum’s rule and scale’s rule'],
  saves: 'nothing of its own',
};

/**
 * Mean over `axis` (undefined for all axes), as sum then scale: it has no gradient rule of its own.
 *
 * @example
 * mean(randn([3, 4]), -1) // shape [3]
 */
export function mean(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('mean', 'x', x);
  const { axes } = resolveReduction('mean', x, axis, keepdims);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const total = sum(x, axis, keepdims);
  // An empty axis has no mean: 0/0 = NaN, as in PyTorch (scale refuses a NaN factor).
  return count === 0 ? div(total, 0) : scale(total, 1 / count);
}
