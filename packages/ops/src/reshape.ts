import { type Op, defineOp, formatShape, rangeError, sizeOf, Tensor, typeError } from '@attograd/tensor';
import { checkAnyTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'reshape',
  definition: 'Y = X with a new shape of the same size (row-major order kept)',
  kind: 'linear',
  backward: { x: 'dX = reshape(dY, shape(X))' },
  steps: ['reshape keeps every value at its row-major position', 'so dX is dY read back in the shape of X'],
  saves: 'the input shape',
  ko: {
    definition: '크기가 같은 새 모양으로 본 X가 Y이다 (행 우선 순서는 그대로)',
    steps: ['reshape는 모든 값을 행 우선 순서의 같은 위치에 둔다', '그러므로 dX는 dY를 X의 모양으로 다시 읽은 것이다'],
    saves: '입력의 모양',
  },
};

const reshapeOp: Op<{ shape: readonly number[] }> = defineOp<{ shape: readonly number[] }>(
  {
    name: 'reshape',
    inputNames: ['x'],
    // A view: shares x's buffer (and so its version counter). In-place methods on either show in both.
    forward: ([x], { shape }) => new Tensor(x.data, shape),
    backward: (dY, { inputs: [x] }) => [reshapeOp([dY], { shape: x.shape })],
  },
  { keepsNoGradients: true },
);

/**
 * The same values in a new shape; one dimension may be -1 (inferred). The result is a view: it
 * shares x's buffer and version counter, like `x.detach()`; every other op returns a new buffer.
 * Use `x.clone()` first to get independent values.
 *
 * @example
 * reshape(randn([2, 3, 4]), [6, -1]) // shape [6, 4]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkAnyTensor('reshape', 'x', x);
  if (!Array.isArray(shape)) throw typeError('reshape', `shape must be an array, got ${String(shape)}`);
  const inferred = shape.filter((dim) => dim === -1).length;
  if (inferred > 1 || shape.some((dim) => !Number.isInteger(dim) || dim < -1)) {
    throw rangeError('reshape', `shape ${formatShape(shape)} must hold non-negative integers and at most one -1`);
  }
  const known = sizeOf(shape.filter((dim) => dim !== -1));
  const resolved = inferred === 0 ? shape : shape.map((dim) => (dim === -1 ? (known === 0 ? 0 : x.size / known) : dim));
  if (sizeOf(resolved) !== x.size || !resolved.every(Number.isInteger)) {
    throw rangeError('reshape', `cannot reshape x of shape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
  }
  if (resolved.length === x.rank && resolved.every((dim, i) => dim === x.shape[i])) return x;
  return reshapeOp([x], { shape: resolved });
}
