import { defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { div } from './div';
import { unaryKernel } from './kernels/elementwise';
import { scale } from './scale';

export const derivation: Derivation = {
  op: 'sqrt',
  definition: 'Y = √X element-wise (X ≥ 0)',
  kind: 'nonlinear',
  backward: { x: 'dX = dY / (2Y)' },
  steps: ['∂Y_i/∂X_i = 1/(2√X_i) = 1/(2Y_i)', 'dX = dY / (2Y)'],
  saves: 'output Y',
};

const sqrtOp = defineOp({
  name: 'sqrt',
  inputNames: ['x'],
  forward: ([x]) => unaryKernel('sqrt', x),
  backward: (dY, { output: y }) => [div(dY, scale(y, 2))],
});

/**
 * The square root element-wise (NaN for negative values, as Math.sqrt).
 * Same shape as x.
 *
 * @throws TypeError when x is not a Tensor.
 * @example
 * sqrt(tensor([4, 9])) // [2, 3]
 */
export function sqrt(x: Tensor): Tensor {
  checkTensor('sqrt', 'x', x);
  return sqrtOp([x], {});
}
