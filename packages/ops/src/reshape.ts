import { type Op, defineOp, formatShape, rangeError, sizeOf, Tensor, typeError } from '@attograd/tensor';
import { checkAnyTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'reshape',
  definition: 'Y = X with a new shape of the same size (row-major order kept)',
  kind: 'linear',
  backward: { x: 'dX = reshape(dY, shape of X)' },
  steps: ['reshape keeps every value at its row-major position', 'dX is dY read back in X’s shape'],
  saves: 'the input shape',
};

const reshapeOp: Op<{ shape: readonly number[] }> = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  inputNames: ['x'],
  // A view: shares x's buffer (and so its version counter). In-place methods on either show in both.
  forward: ([x], { shape }) => new Tensor(x.data, shape),
  backward: (dY, { inputs: [x] }) => [reshapeOp([dY], { shape: x.shape })],
});

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
