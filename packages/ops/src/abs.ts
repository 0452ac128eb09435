import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';

export const derivation: Derivation = {
  op: 'abs',
  definition: 'Y = |X| element-wise',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ sign(X)' },
  steps: [
    '∂|x|/∂x = 1 for x > 0 and −1 for x < 0',
    'at x = 0 the subgradient 0 is used, and at NaN the gradient is 0 too (sign(NaN) = 0 in PyTorch’s rule)',
    'dX = dY ⊙ S with S = sign(X) a constant: the second derivative is 0',
  ],
  saves: 'S = sign(X)',
  ko: {
    definition: 'Y = |X|, 원소별 절댓값',
    steps: [
      'x > 0이면 ∂|x|/∂x = 1, x < 0이면 −1',
      'x = 0에서는 하방기울기 0을 쓰고, NaN에서도 기울기는 0이다 (PyTorch의 규칙에서 sign(NaN) = 0)',
      'S = sign(X)를 상수로 두고 dX = dY ⊙ S: 2계 도함수는 0이다',
    ],
    saves: 'S = sign(X)',
  },
};

const absOp: Op<Record<string, never>> = defineOp<Record<string, never>, Tensor>(
  {
    name: 'abs',
    inputNames: ['x'],
    forward([x]) {
      const y = allocate(x.dtype, x.size);
      const sign = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) {
        const v = x.data[i];
        y[i] = Math.abs(v);
        sign[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return { output: new Tensor(y, x.shape), saved: new Tensor(sign, x.shape) };
    },
    backward: (dY, { saved: sign }) => [mul(dY, sign)],
  },
  { keepsNoGradients: true },
);

/**
 * |x| element-wise. The gradient at 0 is 0; NaN stays NaN.
 *
 * @throws TypeError when x is not a float Tensor.
 * @example
 * abs(tensor([-3, 0, 2])) // [3, 0, 2]
 */
export function abs(x: Tensor): Tensor {
  checkTensor('abs', 'x', x);
  return absOp([x], {});
}
