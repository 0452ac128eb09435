import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';
import { sub } from './sub';

export const derivation: Derivation = {
  op: 'tanh',
  definition: 'Y = tanh(X) = (e^X − e^{−X}) / (e^X + e^{−X}) element-wise',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ (1 − Y²)' },
  steps: ['∂tanh(x)/∂x = 1/cosh²(x) = 1 − tanh²(x)', 'so the rule needs only the output: dX = dY ⊙ (1 − Y²)'],
  saves: 'output Y',
  ko: {
    definition: 'Y = tanh(X) = (e^X − e^{−X}) / (e^X + e^{−X}), 원소별',
    steps: ['∂tanh(x)/∂x = 1/cosh²(x) = 1 − tanh²(x)', '그러므로 규칙에는 출력만 있으면 된다: dX = dY ⊙ (1 − Y²)'],
    saves: '출력 Y',
  },
};

const tanhOp: Op<Record<string, never>> = defineOp(
  {
    name: 'tanh',
    inputNames: ['x'],
    forward([x]) {
      const y = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x.data[i]);
      return new Tensor(y, x.shape);
    },
    backward: (dY, { output: y }) => [mul(dY, sub(1, mul(y, y)))],
  },
  { keepsNoGradients: true },
);

/**
 * The hyperbolic tangent, element-wise (saturates to ±1 without overflow). NaN gives NaN.
 *
 * @throws TypeError when x is not a float Tensor.
 * @example
 * tanh(tensor([0, 100])) // [0, 1]
 */
export function tanh(x: Tensor): Tensor {
  checkTensor('tanh', 'x', x);
  return tanhOp([x], {});
}
