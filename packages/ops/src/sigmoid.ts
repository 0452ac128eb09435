import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';
import { sub } from './sub';

export const derivation: Derivation = {
  op: 'sigmoid',
  definition: 'Y = σ(X) = 1 / (1 + e^{−X}) element-wise',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ Y ⊙ (1 − Y)' },
  steps: [
    '∂σ/∂x = e^{−x} / (1 + e^{−x})² = σ(x) (1 − σ(x))',
    'dX = dY ⊙ Y ⊙ (1 − Y)',
    'forward uses e^{x}/(1 + e^{x}) for x < 0, so e^{−x} never overflows',
  ],
  saves: 'output Y',
  ko: {
    definition: 'Y = σ(X) = 1 / (1 + e^{−X}), 원소별',
    steps: [
      '∂σ/∂x = e^{−x} / (1 + e^{−x})² = σ(x) (1 − σ(x))',
      'dX = dY ⊙ Y ⊙ (1 − Y)',
      'x < 0이면 순전파는 e^{x}/(1 + e^{x})를 써서 e^{−x}가 오버플로하지 않게 한다',
    ],
    saves: '출력 Y',
  },
};

const sigmoidOp: Op<Record<string, never>> = defineOp(
  {
    name: 'sigmoid',
    inputNames: ['x'],
    forward([x]) {
      const y = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) {
        const v = x.data[i];
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v); // NaN falls here too and stays NaN
          y[i] = e / (1 + e);
        }
      }
      return new Tensor(y, x.shape);
    },
    backward: (dY, { output: y }) => [mul(dY, mul(y, sub(1, y)))],
  },
  { keepsNoGradients: true },
);

/**
 * The logistic function 1/(1 + e^{−x}), element-wise; stable for inputs of any size. NaN gives NaN.
 *
 * @throws TypeError when x is not a float Tensor.
 * @example
 * sigmoid(tensor([0, -1000])) // [0.5, 0]
 */
export function sigmoid(x: Tensor): Tensor {
  checkTensor('sigmoid', 'x', x);
  return sigmoidOp([x], {});
}
