import { formatShape, rangeError, stridesOf, type Tensor } from '@attograd/tensor';
import { checkIndexRange } from './checks';
import type { Derivation } from './derivation';
import { checkTakeArguments, takeOp } from './take';

export const derivation: Derivation = {
  op: 'gather',
  definition: 'Y[i₀,…,i_k,…] = X[i₀,…,index[i₀,…,i_k,…],…] along `axis`;  index: int32 of X’s rank → Y: index’s shape',
  kind: 'linear',
  backward: { x: 'dX = scatterAdd(dY, axis, index)' },
  steps: [
    'each Y_p copies one element of X, so ∂Y_p/∂X_q = 1 when q is the position index picks for p, else 0',
    'dX_q = Σ_p dY_p [p picks q]: every output adds its gradient to the element it read',
    'an element picked twice receives both gradients (the scatter must add, never overwrite)',
  ],
  saves: 'the flat source positions',
  notes: ['dX[…, index[p], …] += dY[p] for every position p (scatter-add)'],
  ko: {
    definition: 'axis를 따라 Y[i₀,…,i_k,…] = X[i₀,…,index[i₀,…,i_k,…],…]; index는 X와 차원 수가 같은 int32 → Y는 index의 모양',
    steps: [
      '각 Y_p는 X의 원소 하나를 복사하므로, q가 index가 p에 대해 고른 위치이면 ∂Y_p/∂X_q = 1, 아니면 0',
      'dX_q = Σ_p dY_p [p가 q를 고름]: 각 출력은 자신이 읽은 원소에 기울기를 더한다',
      '두 번 뽑힌 원소는 기울기 둘을 모두 받는다 (흩어 쓰기는 덮어쓰지 말고 더해야 한다)',
    ],
    saves: '평탄화한 원본 위치들',
    notes: ['모든 위치 p에 대해 dX[…, index[p], …] += dY[p] (흩어 더하기)'],
  },
};

/**
 * Picks values of x along `axis` at int32 `index` (as torch.gather): index has x's rank, each of
 * its other dimensions at most x's, and the result has index's shape. The gradient is a
 * scatter-add, so repeated indices accumulate.
 *
 * @throws TypeError when x is not a float Tensor or index not an int32 Tensor; RangeError for a
 * rank or size mismatch, or an index outside [0, x.shape[axis]).
 * @example
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[1, 1], [0, 1]], { dtype: 'int32' })) // [[2, 2], [3, 4]]
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const dim = checkTakeArguments('gather', x, axis, index);
  if (index.rank !== x.rank || index.shape.some((size, d) => d !== dim && size > x.shape[d])) {
    throw rangeError(
      'gather',
      `index ${formatShape(index.shape)} must have x's rank (${x.rank}) and no dimension larger than x ${formatShape(x.shape)} except along axis ${dim}`,
    );
  }
  checkIndexRange('gather', 'index', index, x.shape[dim], `axis ${dim} of x ${formatShape(x.shape)}`);
  const sourceStrides = stridesOf(x.shape);
  const indexStrides = stridesOf(index.shape);
  const offsets = new Int32Array(index.size);
  for (let i = 0; i < index.size; i++) {
    const picked = index.data[i];
    let offset = 0;
    for (let d = 0; d < x.rank; d++) {
      const coordinate = d === dim ? picked : Math.floor(i / indexStrides[d]) % index.shape[d];
      offset += coordinate * sourceStrides[d];
    }
    offsets[i] = offset;
  }
  return takeOp([x], { offsets, shape: index.shape, sourceShape: x.shape, name: 'gather' });
}
