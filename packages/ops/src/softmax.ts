import { allocate, defineOp, normalizeAxis, stridesOf, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';
import { sub } from './sub';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'softmax',
  definition: 'y_i = exp(x_i − max x) / Σ_j exp(x_j − max x), over each row along `axis`',
  kind: 'nonlinear',
  backward: { x: 'dx = y ⊙ (dy − Σ_j dy_j y_j)' },
  steps: [
    'y_i = e^{x_i} / Σ_k e^{x_k} (subtracting max x changes nothing but overflow)',
    '∂y_i/∂x_j = y_i (δ_ij − y_j): per row the Jacobian is diag(y) − y yᵀ',
    'dx_j = Σ_i dy_i ∂y_i/∂x_j = y_j dy_j − y_j Σ_i dy_i y_i',
    'dx = y ⊙ (dy − Σ_j dy_j y_j)',
  ],
  saves: 'output y',
};

const softmaxOp = defineOp<{ axis: number }>({
  name: 'softmax',
  inputNames: ['x'],
  forward([x], { axis }) {
    const out = allocate(x.dtype, x.size);
    const length = x.shape[axis];
    const stride = stridesOf(x.shape)[axis];
    const rows = length === 0 ? 0 : x.size / length;
    for (let row = 0; row < rows; row++) {
      // The row starts at the element whose coordinate along `axis` is 0.
      const start = Math.floor(row / stride) * stride * length + (row % stride);
      softmaxRow(x.data, out, start, stride, length);
    }
    return new Tensor(out, x.shape);
  },
  backward: (dy, { output: y, attrs: { axis } }) => [mul(y, sub(dy, sum(mul(dy, y), axis, true)))],
});

/** One row: subtract the max so exp never overflows; a row that is all −∞ becomes all zeros. */
function softmaxRow(x: ArrayLike<number>, out: Float64Array | Float32Array, start: number, stride: number, length: number): void {
  const end = start + stride * length;
  let rowMax = -Infinity;
  for (let i = start; i < end; i += stride) if (x[i] > rowMax) rowMax = x[i];
  if (rowMax === -Infinity) return; // fully masked: zeros, and a zero gradient (y = 0)
  let total = 0;
  for (let i = start; i < end; i += stride) {
    const e = Math.exp(x[i] - rowMax);
    out[i] = e;
    total += e;
  }
  for (let i = start; i < end; i += stride) out[i] /= total;
}

/**
 * Softmax along `axis` (default: the last). Finite for logits of any finite magnitude; entries
 * of −Infinity get probability 0, and a row that is −Infinity everywhere gives zeros, not NaN.
 *
 * @example
 * softmax(tensor([[1, 2, 3]])) // rows sum to 1
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax', 'x', x);
  return softmaxOp([x], { axis: normalizeAxis('softmax', axis, x.rank) });
}
