import { allocate, defineOp, formatShape, normalizeAxis, rangeError, sizeOf, Tensor, typeError, type Op } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { slice } from './slice';

export const derivation: Derivation = {
  op: 'concat',
  definition: 'Y = [X₀, X₁, …] joined along axis; the other axes must agree; Y: the sizes along axis added',
  kind: 'linear',
  backward: { tensors: 'dXᵢ = slice(dY, axis, offsetᵢ, offsetᵢ + sizeᵢ)' },
  steps: [
    'each element of Y is exactly one element of one Xᵢ, at an offset along axis',
    'so each Xᵢ receives the slice of dY that it filled',
  ],
  saves: 'the sizes along axis',
  ko: {
    definition: 'Y = [X₀, X₁, …]를 axis를 따라 이어 붙인다; 나머지 축의 크기는 같아야 하고, Y의 axis 크기는 각 크기의 합이다',
    steps: [
      'Y의 각 원소는 어느 한 Xᵢ의 원소 정확히 하나이며, axis를 따라 오프셋만큼 밀려 있다',
      '그러므로 각 Xᵢ는 자신이 채운 dY의 구간을 받는다',
    ],
    saves: 'axis를 따른 크기들',
  },
};

const concatOp: Op<{ axis: number }> = defineOp<{ axis: number }>(
  {
    name: 'concat',
    inputNames: ['tensors...'],
    forward(tensors, { axis }) {
      const first = tensors[0];
      const shape = first.shape.slice();
      shape[axis] = tensors.reduce((total, t) => total + t.shape[axis], 0);
      const out = allocate(first.dtype, sizeOf(shape));
      const outer = sizeOf(first.shape.slice(0, axis));
      const rowLength = sizeOf(shape.slice(axis));
      let offset = 0;
      for (const t of tensors) {
        // Each input contributes one block of `block` values to every outer row of the output.
        const block = sizeOf(t.shape.slice(axis));
        for (let row = 0; row < outer; row++) out.set(t.data.subarray(row * block, (row + 1) * block), row * rowLength + offset);
        offset += block;
      }
      return new Tensor(out, shape);
    },
    backward(dY, { inputs, attrs: { axis }, needsGrad }) {
      let start = 0;
      return inputs.map((t, i) => {
        const end = start + t.shape[axis];
        const grad = needsGrad[i] ? slice(dY, axis, start, end) : null;
        start = end;
        return grad;
      });
    },
  },
  { keepsNoGradients: true },
);

/**
 * Joins tensors along an existing axis (default 0). All other axes must have equal sizes.
 *
 * @example
 * concat([zeros([2, 3]), ones([1, 3])]) // shape [3, 3]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw typeError('concat', `tensors must be a non-empty array of tensors, got ${String(tensors)}`);
  }
  tensors.forEach((t, i) => checkTensor('concat', `tensors[${i}]`, t));
  const first = tensors[0];
  const resolved = normalizeAxis('concat', axis, first.shape);
  tensors.forEach((t: Tensor, i: number) => {
    const fits = t.rank === first.rank && t.shape.every((dim, a) => a === resolved || dim === first.shape[a]);
    if (!fits) {
      throw rangeError(
        'concat',
        `tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has shape ${formatShape(first.shape)}: ` +
          `all axes but axis ${resolved} must agree`,
      );
    }
  });
  return tensors.length === 1 ? first : concatOp(tensors, { axis: resolved });
}
