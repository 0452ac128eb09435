import { sizeOf, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { div } from './div';
import { resolveReduction } from './kernels/reduce';
import { scale } from './scale';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'mean',
  definition: 'Y = (1/n) Σ over the given axes of X, n = the number of elements summed into each entry of Y',
  kind: 'composite',
  backward: { x: 'dX = broadcast(dY, shape(X)) / n' },
  steps: ['mean is scale(sum(X), 1/n): the gradient comes from the rule of sum and then the rule of scale'],
  saves: 'nothing of its own',
  ko: {
    definition: 'Y = 주어진 축들을 따라 X를 더해 n으로 나눈 값, n은 Y의 한 원소에 더해지는 원소 수',
    steps: ['mean은 scale(sum(X), 1/n)이다: 기울기는 sum의 규칙과 scale의 규칙을 차례로 적용해 얻는다'],
    saves: '자체적으로 저장하는 값 없음',
  },
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
