import { formatShape, rangeError, stridesOf, type Tensor } from '@attograd/tensor';
import { checkIndexRange } from './checks';
import type { Derivation } from './derivation';
import { checkTakeArguments, takeOp } from './take';

export const derivation: Derivation = {
  op: 'indexSelect',
  definition:
    'Y = the slices of X along `axis` at int32 index (1-D): Y[…, j, …] = X[…, index[j], …];  Y: X’s shape with index.length along axis',
  kind: 'linear',
  backward: { x: 'dX[…, index_j, …] += dY[…, j, …],  j = 0 … len(index) − 1' },
  steps: [
    'slice j of Y is a copy of slice index[j] of X: a linear map whose adjoint sends each slice’s gradient back where it came from',
    'a slice chosen twice gets both gradients added (an embedding row used by two tokens)',
  ],
  saves: 'the flat source positions',
  notes: ['scatter-add: slice j of dY is added to slice index[j] of dX'],
  ko: {
    definition:
      'axis를 따라 int32 index (1차원) 위치의 단면을 모은다: Y[…, j, …] = X[…, index[j], …]; Y의 모양은 X와 같되 axis 크기가 index의 길이',
    steps: [
      'Y의 j번째 단면은 X의 index[j]번째 단면의 복사본이다: 선형 사상이며, 그 수반은 각 단면의 기울기를 원래 자리로 돌려보낸다',
      '두 번 뽑힌 단면은 두 기울기를 더해 받는다 (두 토큰이 쓰는 임베딩 행)',
    ],
    saves: '평탄화한 원본 위치들',
    notes: ['흩어 더하기: dY의 j번째 단면을 dX의 index[j]번째 단면에 더한다'],
  },
};

/**
 * The slices of x along `axis` chosen by a 1-D int32 `index` (as torch.index_select), in index's
 * order, repeats allowed; the gradient scatter-adds back, so repeats accumulate.
 *
 * @throws TypeError when x is not a float Tensor or index not an int32 Tensor; RangeError when
 * index is not 1-D or holds a value outside [0, x.shape[axis]).
 * @example
 * indexSelect(tensor([[1, 2], [3, 4]]), 0, tensor([1, 1, 0], { dtype: 'int32' })) // [[3, 4], [3, 4], [1, 2]]
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  const dim = checkTakeArguments('indexSelect', x, axis, index);
  if (index.rank !== 1) throw rangeError('indexSelect', `index must be 1-D, got shape ${formatShape(index.shape)}`);
  checkIndexRange('indexSelect', 'index', index, x.shape[dim], `axis ${dim} of x ${formatShape(x.shape)}`);
  const shape = x.shape.map((size, d) => (d === dim ? index.size : size));
  const stride = stridesOf(x.shape)[dim];
  const outer = x.shape.slice(0, dim).reduce((size, d) => size * d, 1);
  const offsets = new Int32Array(outer * index.size * stride);
  let position = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < index.size; j++) {
      const base = (o * x.shape[dim] + index.data[j]) * stride;
      for (let inner = 0; inner < stride; inner++) offsets[position++] = base + inner;
    }
  }
  return takeOp([x], { offsets, shape, sourceShape: x.shape, name: 'indexSelect' });
}
