import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';
import { scale } from './scale';

export const derivation: Derivation = {
  op: 'square',
  definition: 'Y = X² element-wise',
  kind: 'nonlinear',
  backward: { x: 'dX = 2 dY ⊙ X' },
  steps: ['∂(x²)/∂x = 2x', 'dX = 2 dY ⊙ X'],
  saves: 'input X',
  ko: {
    definition: 'Y = X², 원소별',
    steps: ['∂(x²)/∂x = 2x', 'dX = 2 dY ⊙ X'],
    saves: '입력 X',
  },
};

const squareOp: Op<Record<string, never>> = defineOp(
  {
    name: 'square',
    inputNames: ['x'],
    forward([x]) {
      const y = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) y[i] = x.data[i] * x.data[i];
      return new Tensor(y, x.shape);
    },
    backward: (dY, { inputs: [x] }) => [mul(dY, scale(x, 2))],
  },
  { keepsNoGradients: true },
);

/**
 * x² element-wise.
 *
 * @throws TypeError when x is not a float Tensor.
 * @example
 * square(tensor([-3, 2])) // [9, 4]
 */
export function square(x: Tensor): Tensor {
  checkTensor('square', 'x', x);
  return squareOp([x], {});
}
