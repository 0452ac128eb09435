import { type Op, allocate, defineOp, formatShape, normalizeAxis, rangeError, stridesOf, Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'permute',
  definition: 'Y = permute(X, dims): axis i of Y is axis dims[i] of X',
  kind: 'linear',
  backward: { x: 'dX = permute(dY, dims⁻¹)' },
  steps: [
    'permute only moves values: each element of Y is exactly one element of X',
    'the adjoint of moving values is moving them back: dX = permute(dY, dims⁻¹), with dims⁻¹ the inverse permutation',
  ],
  saves: 'dims only',
  ko: {
    definition: 'Y = permute(X, dims): Y의 i번째 축은 X의 dims[i]번째 축이다',
    steps: [
      'permute는 값의 자리만 옮긴다: Y의 각 원소는 X의 원소 정확히 하나이다',
      '값을 옮기는 사상의 수반은 값을 제자리로 되돌리는 것이다: dX = permute(dY, dims⁻¹), dims⁻¹은 역순열',
    ],
    saves: 'dims만',
  },
};

const permuteOp: Op<{ dims: readonly number[] }> = defineOp<{ dims: readonly number[] }>(
  {
    name: 'permute',
    inputNames: ['x'],
    forward([x], { dims }) {
      const shape = dims.map((axis) => x.shape[axis]);
      const out = allocate(x.dtype, x.size);
      const sourceStrides = stridesOf(x.shape);
      const strides = dims.map((axis) => sourceStrides[axis]);
      // Odometer over the output, stepping the source position by the permuted strides.
      const coords = new Array<number>(shape.length).fill(0);
      let position = 0;
      for (let i = 0; i < out.length; i++) {
        out[i] = x.data[position];
        for (let axis = shape.length - 1; axis >= 0; axis--) {
          position += strides[axis];
          if (++coords[axis] < shape[axis]) break;
          position -= strides[axis] * shape[axis];
          coords[axis] = 0;
        }
      }
      return new Tensor(out, shape);
    },
    backward: (dY, { attrs: { dims } }) => [permuteOp([dY], { dims: inverse(dims) })],
  },
  { keepsNoGradients: true },
);

function inverse(dims: readonly number[]): number[] {
  const result = new Array<number>(dims.length);
  dims.forEach((axis, i) => (result[axis] = i));
  return result;
}

/**
 * Reorders the axes of x: axis i of the result is axis `dims[i]` of x (negative axes count from
 * the end).
 *
 * @example
 * permute(randn([2, 3, 4]), [2, 0, 1]) // shape [4, 2, 3]
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', 'x', x);
  if (!Array.isArray(dims)) throw typeError('permute', `dims must be an array of axes, got ${String(dims)}`);
  if (dims.length !== x.rank) {
    throw rangeError('permute', `dims [${dims.join(', ')}] must name each of the ${x.rank} axes of x (shape ${formatShape(x.shape)}) once`);
  }
  const normalized = dims.map((axis) => normalizeAxis('permute', axis, x.shape, 'dims'));
  if (new Set(normalized).size !== normalized.length) {
    throw rangeError('permute', `dims [${dims.join(', ')}] repeats an axis (x has shape ${formatShape(x.shape)})`);
  }
  if (normalized.every((axis, i) => axis === i)) return x;
  return permuteOp([x], { dims: normalized });
}
