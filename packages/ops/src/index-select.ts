import { formatShape, normalizeAxis, rangeError, stridesOf, type Tensor } from '@attograd/tensor';
import { checkIndexRange, checkIndices, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { takeOp } from './take';

export const derivation: Derivation = {
  op: 'indexSelect',
  definition: 'Y = the slices of X along `axis` at int32 index (1-D): Y[…, j, …] = X[…, index[j], …];  Y: X’s shape with index.length along axis',
  kind: 'linear',
  backward: { x: 'dX[…, index[j], …] += dY[…, j, …] for each j (scatter-add)' },
  steps: [
    'slice j of Y is a copy of slice index[j] of X: a linear map whose adjoint sends each slice’s gradient back where it came from',
    'a slice chosen twice gets both gradients added (an embedding row used by two tokens)',
  ],
  saves: 'the flat source positions',
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
  checkTensor('indexSelect', 'x', x);
  checkIndices('indexSelect', 'index', index);
  const dim = normalizeAxis('indexSelect', axis, x.shape);
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
