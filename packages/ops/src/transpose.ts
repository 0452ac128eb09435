import { formatShape, normalizeAxis, rangeError, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { permute } from './permute';

export const derivation: Derivation = {
  op: 'transpose',
  definition: 'Y = transpose(X, dim0, dim1): X with axes dim0 and dim1 swapped (default: the last two, Y = Xᵀ)',
  kind: 'linear',
  backward: { x: 'dX = transpose(dY, dim0, dim1)' },
  steps: [
    'Y_ji = X_ij, so ∂Y_ji/∂X_ij = 1 and no other element of Y depends on X_ij',
    'dX_ij = dY_ji: swapping the axes back is the whole rule',
  ],
  saves: 'nothing',
  ko: {
    definition: 'Y = transpose(X, dim0, dim1): X의 두 축 dim0, dim1을 맞바꾼다 (기본값은 마지막 두 축, Y = Xᵀ)',
    steps: [
      'Y_ji = X_ij이므로 ∂Y_ji/∂X_ij = 1이고, Y의 다른 원소는 X_ij에 의존하지 않는다',
      'dX_ij = dY_ji: 축을 다시 맞바꾸는 것이 규칙의 전부이다',
    ],
    saves: '없음',
  },
};

/**
 * Swaps two axes of x (by default the last two: the matrix transpose). A special case of permute,
 * whose rule it uses.
 *
 * @example
 * transpose(randn([2, 3, 4])) // shape [2, 4, 3]
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose', 'x', x);
  if (x.rank < 2) throw rangeError('transpose', `x must have at least 2 axes, got shape ${formatShape(x.shape)}`);
  const first = normalizeAxis('transpose', dim0, x.shape, 'dim0');
  const second = normalizeAxis('transpose', dim1, x.shape, 'dim1');
  const dims = x.shape.map((_, axis) => (axis === first ? second : axis === second ? first : axis));
  return permute(x, dims);
}
