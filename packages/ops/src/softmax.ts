import { type Op, allocate, defineOp, normalizeAxis, stridesOf, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { type RowLayout, softmaxBackward, softmaxForward } from './kernels/softmax';
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

/** The row layout of x along `axis`, for the fused kernels. */
function layoutOf(x: Tensor, axis: number): RowLayout {
  return { size: x.size, length: x.shape[axis], stride: stridesOf(x.shape)[axis] };
}

const softmaxOp = defineOp<{ axis: number }>({
  name: 'softmax',
  inputNames: ['x'],
  forward([x], { axis }) {
    const y = allocate(x.dtype, x.size);
    softmaxForward(x.data, y, layoutOf(x, axis));
    return new Tensor(y, x.shape);
  },
  backward: (dy, { output: y, attrs: { axis } }) => [softmaxBackwardOp([y, dy], { axis })],
});

/**
 * The softmax backward as an op of its own, dx = y ⊙ (dy − Σ_j dy_j y_j), so the first-order
 * gradient is one fused pass with no temporaries. Its own gradient rule is written with ops, so
 * gradients of gradients stay exact. With s = Σ_j dy_j y_j and g the cotangent of dx:
 *   ∂dx_i/∂dy_k = y_i δ_ik − y_i y_k  (symmetric)  ⇒  d(dy) = y ⊙ (g − Σ_j g_j y_j), this op again;
 *   ∂dx_i/∂y_k = δ_ik (dy_i − s) − y_i dy_k         ⇒  d(y) = g ⊙ (dy − s) − dy ⊙ Σ_j g_j y_j.
 */
const softmaxBackwardOp: Op<{ axis: number }> = defineOp<{ axis: number }>({
  name: 'softmaxBackward',
  inputNames: ['y', 'dy'],
  forward([y, dy], { axis }) {
    const dx = allocate(y.dtype, y.size);
    softmaxBackward(y.data, dy.data, dx, layoutOf(y, axis));
    return new Tensor(dx, y.shape);
  },
  backward(g, { inputs: [y, dy], attrs: { axis }, needsGrad }) {
    const gY = needsGrad[0]
      ? sub(mul(g, sub(dy, sum(mul(dy, y), axis, true))), mul(dy, sum(mul(g, y), axis, true)))
      : null;
    return [gY, needsGrad[1] ? softmaxBackwardOp([y, g], { axis }) : null];
  },
});

/**
 * Softmax along `axis` (default: the last). Finite for logits of any finite magnitude; entries
 * of −Infinity get probability 0, and a row that is −Infinity everywhere gives zeros, not NaN.
 * A row holding a NaN (or +Infinity) is NaN everywhere, as in PyTorch.
 *
 * @example
 * softmax(tensor([[1, 2, 3]])) // rows sum to 1
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax', 'x', x);
  return softmaxOp([x], { axis: normalizeAxis('softmax', axis, x.shape) });
}
