import { allocate, defineOp, formatShape, normalizeAxis, rangeError, sizeOf, Tensor, zeros, type Op } from '@attograd/tensor';
import { checkTensor } from './checks';
import { concat } from './concat';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'slice',
  definition: 'Y = X[..., start:end, ...] along axis; Y: the shape of X with end − start along axis',
  kind: 'linear',
  backward: { x: 'dX = concat([O_before, dY, O_after], axis)' },
  steps: [
    'Y copies the elements of X with start ≤ index < end along axis; the others do not reach Y',
    'dX is dY where it was copied from and 0 elsewhere: O_before and O_after are blocks of zeros of sizes start and (size of X along axis) − end',
  ],
  saves: 'the input shape and the range',
  ko: {
    definition: 'Y = X[..., start:end, ...], axis를 따라 자른다; Y의 모양은 X와 같되 axis 크기가 end − start이다',
    steps: [
      'Y는 axis 방향 번호가 start 이상 end 미만인 X의 원소를 복사한다. 나머지 원소는 Y에 닿지 않는다',
      'dX는 복사해 온 자리에서는 dY이고 다른 곳에서는 0이다. O_before, O_after는 크기가 start와 (X의 axis 크기) − end인 0 블록이다',
    ],
    saves: '입력의 모양과 구간',
  },
};

const sliceOp: Op<{ axis: number; start: number; end: number }> = defineOp<{ axis: number; start: number; end: number }>(
  {
    name: 'slice',
    inputNames: ['x'],
    forward([x], { axis, start, end }) {
      const shape = x.shape.slice();
      shape[axis] = end - start;
      const out = allocate(x.dtype, sizeOf(shape));
      const inner = sizeOf(x.shape.slice(axis + 1));
      const rows = sizeOf(x.shape.slice(0, axis));
      const block = (end - start) * inner;
      for (let row = 0; row < rows; row++) {
        const from = (row * x.shape[axis] + start) * inner;
        out.set(x.data.subarray(from, from + block), row * block);
      }
      return new Tensor(out, shape);
    },
    backward(dY, { inputs: [x], attrs: { axis, start, end } }) {
      // Pad dY with zeros back to x's shape: concat is differentiable, so higher orders stay exact.
      const pad = (length: number): Tensor[] =>
        length === 0
          ? []
          : [
              zeros(
                x.shape.map((dim, a) => (a === axis ? length : dim)),
                { dtype: dY.dtype },
              ),
            ];
      return [concat([...pad(start), dY, ...pad(x.shape[axis] - end)], axis)];
    },
  },
  { keepsNoGradients: true },
);

/**
 * The elements of x with start ≤ index < end along `axis` (a copy). Negative start and end count
 * from the end, as in Array.prototype.slice.
 *
 * @example
 * slice(randn([4, 6]), -1, 2, 4) // shape [4, 2]: columns 2 and 3
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  checkTensor('slice', 'x', x);
  const resolved = normalizeAxis('slice', axis, x.shape);
  const length = x.shape[resolved];
  const clamp = (value: number, name: string): number => {
    if (!Number.isInteger(value)) throw rangeError('slice', `${name} must be an integer, got ${String(value)}`);
    return Math.min(length, Math.max(0, value < 0 ? value + length : value));
  };
  const from = clamp(start, 'start');
  const to = end === undefined ? length : clamp(end, 'end');
  if (to < from) {
    throw rangeError('slice', `end ${String(end)} comes before start ${start} along axis ${axis} of x ${formatShape(x.shape)}`);
  }
  // Even the full range is a copy (recorded as an op), as documented: never x itself.
  return sliceOp([x], { axis: resolved, start: from, end: to });
}
