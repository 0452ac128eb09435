import { sizeOf, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
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
  const { keptShape } = resolveReduction('mean', x, axis, keepdims);
  const count = x.size / sizeOf(keptShape);
  return scale(sum(x, axis, keepdims), count === 0 ? Number.NaN : 1 / count);
}
