import { defineOp, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { unaryKernel } from './kernels/elementwise';
import { mul } from './mul';

export const derivation: Derivation = {
  op: 'exp',
  definition: 'Y = exp(X) element-wise',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ Y' },
  steps: ['∂Y_i/∂X_i = exp(X_i) = Y_i', 'dX = dY ⊙ Y'],
  saves: 'output Y',
  ko: {
    definition: 'Y = exp(X), 원소별 지수 함수',
    steps: ['∂Y_i/∂X_i = exp(X_i) = Y_i', 'dX = dY ⊙ Y'],
    saves: '출력 Y',
  },
};

const expOp = defineOp(
  {
    name: 'exp',
    inputNames: ['x'],
    forward: ([x]) => unaryKernel('exp', x),
    backward: (dY, { output: y }) => [mul(dY, y)],
  },
  { keepsNoGradients: true },
);

/**
 * e^x element-wise.
 * Same shape as x.
 *
 * @throws TypeError when x is not a Tensor.
 * @example
 * exp(tensor([0, 1])) // [1, 2.7183]
 */
export function exp(x: Tensor): Tensor {
  checkTensor('exp', 'x', x);
  return expOp([x], {});
}
