import { type Op, allocate, defineOp, normalizeAxis, stridesOf, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { type RowLayout, softmaxBackward, softmaxForward } from './kernels/softmax';
import { mul } from './mul';
import { sub } from './sub';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'softmax',
  definition: 'y_i = exp(x_i − max x) / Σ_j exp(x_j − max x), for each row x along axis (y: the same shape)',
  kind: 'nonlinear',
  backward: { x: 'dx = y ⊙ (dy − Σ_j dy_j y_j)' },
  steps: [
    'y_i = e^{x_i} / Σ_k e^{x_k}: subtracting max x multiplies numerator and denominator by e^{−max x}, which changes nothing but prevents overflow',
    'quotient rule: ∂y_i/∂x_j = y_i (δ_ij − y_j), so the Jacobian of one row is J = diag(y) − y yᵀ (y as a column vector)',
    'the vector-Jacobian product is dx = Jᵀ dy; J is symmetric (J_ij = J_ji = −y_i y_j for i ≠ j), so Jᵀ dy = J dy',
    'dx_j = Σ_i dy_i ∂y_i/∂x_j = y_j dy_j − y_j Σ_i dy_i y_i',
    'dx = y ⊙ (dy − Σ_j dy_j y_j), one row at a time',
  ],
  saves: 'output y',
  notes: [
    'a row that is −∞ everywhere is 0/0 mathematically; attograd’s convention returns y = 0 and dx = 0 for it (PyTorch’s F.softmax returns NaN)',
  ],
  ko: {
    definition: 'axis를 따라 놓인 각 행 x에 대해 y_i = exp(x_i − max x) / Σ_j exp(x_j − max x) (y는 x와 같은 모양)',
    steps: [
      'y_i = e^{x_i} / Σ_k e^{x_k}: max x를 빼면 분자와 분모에 똑같이 e^{−max x}가 곱해지므로 값은 그대로이고 오버플로만 막는다',
      '몫의 미분법: ∂y_i/∂x_j = y_i (δ_ij − y_j). 그러므로 한 행의 야코비안은 J = diag(y) − y yᵀ이다 (y를 열벡터로 본다)',
      '벡터-야코비안 곱은 dx = Jᵀ dy이다. J는 대칭이므로 (i ≠ j이면 J_ij = J_ji = −y_i y_j) Jᵀ dy = J dy',
      'dx_j = Σ_i dy_i ∂y_i/∂x_j = y_j dy_j − y_j Σ_i dy_i y_i',
      'dx = y ⊙ (dy − Σ_j dy_j y_j), 행마다 따로 계산한다',
    ],
    saves: '출력 y',
    notes: [
      '모든 원소가 −∞인 행은 수학적으로 0/0이다. attograd는 규약으로 그 행에 y = 0, dx = 0을 돌려준다 (PyTorch의 F.softmax는 NaN을 돌려준다)',
    ],
  },
};

/** The row layout of x along `axis`, for the fused kernels. */
function layoutOf(x: Tensor, axis: number): RowLayout {
  return { size: x.size, length: x.shape[axis], stride: stridesOf(x.shape)[axis] };
}

const softmaxOp = defineOp<{ axis: number }>(
  {
    name: 'softmax',
    inputNames: ['x'],
    forward([x], { axis }) {
      const y = allocate(x.dtype, x.size);
      softmaxForward(x.data, y, layoutOf(x, axis));
      return new Tensor(y, x.shape);
    },
    backward: (dy, { output: y, attrs: { axis } }) => [softmaxBackwardOp([y, dy], { axis })],
  },
  { keepsNoGradients: true },
);

/**
 * The softmax backward as an op of its own, dx = y ⊙ (dy − Σ_j dy_j y_j), so the first-order
 * gradient is one fused pass with no temporaries. Its own gradient rule is written with ops, so
 * gradients of gradients stay exact. With s = Σ_j dy_j y_j and g the cotangent of dx:
 *   ∂dx_i/∂dy_k = y_i δ_ik − y_i y_k  (symmetric)  ⇒  d(dy) = y ⊙ (g − Σ_j g_j y_j), this op again;
 *   ∂dx_i/∂y_k = δ_ik (dy_i − s) − y_i dy_k         ⇒  d(y) = g ⊙ (dy − s) − dy ⊙ Σ_j g_j y_j.
 */
const softmaxBackwardOp: Op<{ axis: number }> = defineOp<{ axis: number }>(
  {
    name: 'softmaxBackward',
    inputNames: ['y', 'dy'],
    forward([y, dy], { axis }) {
      const dx = allocate(y.dtype, y.size);
      softmaxBackward(y.data, dy.data, dx, layoutOf(y, axis));
      return new Tensor(dx, y.shape);
    },
    backward(g, { inputs: [y, dy], attrs: { axis }, needsGrad }) {
      const gY = needsGrad[0] ? sub(mul(g, sub(dy, sum(mul(dy, y), axis, true))), mul(dy, sum(mul(g, y), axis, true))) : null;
      return [gY, needsGrad[1] ? softmaxBackwardOp([y, g], { axis }) : null];
    },
  },
  { keepsNoGradients: true },
);

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
