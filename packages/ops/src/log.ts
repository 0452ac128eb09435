import { defineOp, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { div } from './div';
import { unaryKernel } from './kernels/elementwise';

export const derivation: Derivation = {
  op: 'log',
  definition: 'Y = ln X element-wise, for X > 0',
  kind: 'nonlinear',
  backward: { x: 'dX = dY / X' },
  steps: ['∂Y_i/∂X_i = 1/X_i', 'dX = dY / X'],
  saves: 'input X',
  ko: {
    definition: 'Y = ln X, 원소별 자연로그 (X > 0에서 정의된다)',
    steps: ['∂Y_i/∂X_i = 1/X_i', 'dX = dY / X'],
    saves: '입력 X',
  },
};

const logOp = defineOp(
  {
    name: 'log',
    inputNames: ['x'],
    forward: ([x]) => unaryKernel('log', x),
    backward: (dY, { inputs: [x] }) => [div(dY, x)],
  },
  { keepsNoGradients: true },
);

/**
 * The natural logarithm element-wise (NaN for negative values, −Infinity at 0, as Math.log).
 * Same shape as x.
 *
 * @throws TypeError when x is not a Tensor.
 * @example
 * log(tensor([1, Math.E])) // [0, 1]
 */
export function log(x: Tensor): Tensor {
  checkTensor('log', 'x', x);
  return logOp([x], {});
}
