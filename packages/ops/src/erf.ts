import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { exp } from './exp';
import { erfScalar } from './kernels/erf';
import { mul } from './mul';
import { neg } from './neg';
import { scale } from './scale';

export const derivation: Derivation = {
  op: 'erf',
  definition: 'Y = erf(X) = (2/√π) ∫₀^X e^{−t²} dt element-wise',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ (2/√π) e^{−X²}' },
  steps: ['by the fundamental theorem of calculus ∂Y_i/∂X_i = (2/√π) e^{−X_i²}', 'dX = dY ⊙ (2/√π) e^{−X²}'],
  saves: 'input X',
  ko: {
    definition: 'Y = erf(X) = (2/√π) ∫₀^X e^{−t²} dt, 원소별',
    steps: ['미적분의 기본 정리에 따라 ∂Y_i/∂X_i = (2/√π) e^{−X_i²}', 'dX = dY ⊙ (2/√π) e^{−X²}'],
    saves: '입력 X',
  },
};

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const erfOp: Op<Record<string, never>> = defineOp(
  {
    name: 'erf',
    inputNames: ['x'],
    forward([x]) {
      const y = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) y[i] = erfScalar(x.data[i]);
      return new Tensor(y, x.shape);
    },
    backward: (dY, { inputs: [x] }) => [mul(dY, scale(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))],
  },
  { keepsNoGradients: true },
);

/**
 * The error function, element-wise, in double precision (see kernels/erf.ts). NaN gives NaN.
 *
 * @throws TypeError when x is not a float Tensor.
 * @example
 * erf(tensor([0, 1])) // [0, 0.8427]
 */
export function erf(x: Tensor): Tensor {
  checkTensor('erf', 'x', x);
  return erfOp([x], {});
}
