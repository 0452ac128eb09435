import { formatShape, normalizeAxis, rangeError, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'squeeze',
  definition: 'Y = X without the given axis of size 1 (or without every axis of size 1)',
  kind: 'composite',
  backward: { x: 'dX = reshape(dY, shape(X))' },
  steps: ['squeezing is a reshape that keeps the row-major order: reshape’s rule'],
  saves: 'the input shape',
  ko: {
    definition: 'Y = 주어진 크기 1인 축 (또는 크기 1인 모든 축)을 뺀 X',
    steps: ['squeeze는 행 우선 순서를 지키는 reshape이다: reshape의 규칙'],
    saves: '입력의 모양',
  },
};

/**
 * Drops `axis` when its size is 1 (a no-op otherwise, as PyTorch), or every axis of size 1 when
 * axis is undefined.
 *
 * @throws TypeError when x is not a float Tensor; RangeError for an axis out of range.
 * @example
 * squeeze(zeros([2, 1, 3]))    // [2, 3]
 * squeeze(zeros([2, 1, 3]), 0) // [2, 1, 3] (axis 0 has size 2)
 */
export function squeeze(x: Tensor, axis?: number): Tensor {
  checkTensor('squeeze', 'x', x);
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((size) => size !== 1),
    );
  const dim = normalizeAxis('squeeze', axis, x.shape);
  return x.shape[dim] === 1
    ? reshape(
        x,
        x.shape.filter((_, d) => d !== dim),
      )
    : x;
}

export const unsqueezeDerivation: Derivation = {
  op: 'unsqueeze',
  definition: 'Y = X with a new axis of size 1 inserted at `axis` (an axis of Y: −rank−1 … rank)',
  kind: 'composite',
  backward: { x: 'dX = reshape(dY, shape(X))' },
  steps: ['inserting an axis of size 1 is a reshape that keeps the row-major order: reshape’s rule'],
  saves: 'the input shape',
  ko: {
    definition: 'Y = `axis` 자리에 크기 1인 새 축을 끼워 넣은 X (Y의 축 번호: −rank−1 … rank)',
    steps: ['크기 1인 축을 끼워 넣는 것은 행 우선 순서를 지키는 reshape이다: reshape의 규칙'],
    saves: '입력의 모양',
  },
};

/**
 * Inserts an axis of size 1 at position `axis` of the result (negative counts from the end, as
 * PyTorch: −1 appends).
 *
 * @throws TypeError when x is not a float Tensor; RangeError when axis is outside [−rank − 1, rank].
 * @example
 * unsqueeze(zeros([2, 3]), 1)  // [2, 1, 3]
 * unsqueeze(zeros([2, 3]), -1) // [2, 3, 1]
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor('unsqueeze', 'x', x);
  const dim = Number.isInteger(axis) ? (axis < 0 ? axis + x.rank + 1 : axis) : NaN;
  if (!(dim >= 0 && dim <= x.rank)) {
    throw rangeError('unsqueeze', `axis ${axis} is out of range for a result of rank ${x.rank + 1} (x has shape ${formatShape(x.shape)})`);
  }
  return reshape(x, [...x.shape.slice(0, dim), 1, ...x.shape.slice(dim)]);
}
