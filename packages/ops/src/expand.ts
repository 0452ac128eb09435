import { broadcastsTo, broadcastTo, formatShape, rangeError, type Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'expand',
  definition: 'Y = X repeated along axes of size 1 (and new leading axes) to `shape`; −1 keeps a dimension  (= broadcastTo)',
  kind: 'linear',
  backward: { x: 'dX = sumToShape(dY, shape(X))' },
  steps: [
    'each element of X appears in Y once per copy',
    'so its gradient is the sum of the gradients of its copies: the adjoint of broadcasting is summing',
  ],
  saves: 'the input shape',
  notes: ['sumToShape sums dY over every axis along which X was repeated'],
  ko: {
    definition: 'Y = 크기 1인 축 (과 새로 붙는 앞쪽 축)을 따라 X를 반복해 `shape`으로 늘린 것; −1은 그 차원을 유지한다 (= broadcastTo)',
    steps: [
      'X의 각 원소는 복사본마다 Y에 한 번씩 나타난다',
      '그러므로 그 기울기는 복사본들의 기울기를 더한 것이다: 브로드캐스트의 수반은 합이다',
    ],
    saves: '입력의 모양',
    notes: ['sumToShape는 X가 반복된 모든 축을 따라 dY를 더한다'],
  },
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
  if (!broadcastsTo(x.shape, resolved) || resolved.some((size) => !Number.isInteger(size) || size < 0)) {
    throw rangeError('expand', `x of shape ${formatShape(x.shape)} does not expand to ${formatShape(shape)}`);
  }
  return broadcastTo(x, resolved);
}
