import { defineOp, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { div } from './div';
import { unaryKernel } from './kernels/elementwise';
import { scale } from './scale';

export const derivation: Derivation = {
  op: 'sqrt',
  definition: 'Y = √X element-wise; defined for X ≥ 0, differentiable only for X > 0',
  kind: 'nonlinear',
  backward: { x: 'dX = dY / (2Y)' },
  steps: ['for X_i > 0: ∂Y_i/∂X_i = 1/(2√X_i) = 1/(2Y_i)', 'dX = dY / (2Y)'],
  saves: 'output Y',
  notes: [
    'at X_i = 0 the derivative does not exist (√ has a vertical tangent there): the rule divides by 2Y_i = 0 and yields ±∞, or NaN when dY_i = 0',
  ],
  ko: {
    definition: 'Y = √X, 원소별 제곱근; X ≥ 0에서 정의되지만 미분 가능한 곳은 X > 0뿐이다',
    steps: ['X_i > 0일 때 ∂Y_i/∂X_i = 1/(2√X_i) = 1/(2Y_i)', 'dX = dY / (2Y)'],
    saves: '출력 Y',
    notes: ['X_i = 0에서는 도함수가 없다 (√의 접선이 수직이다). 이 규칙은 2Y_i = 0으로 나누므로 ±∞를, dY_i = 0이면 NaN을 낸다'],
  },
};

const sqrtOp = defineOp(
  {
    name: 'sqrt',
    inputNames: ['x'],
    forward: ([x]) => unaryKernel('sqrt', x),
    backward: (dY, { output: y }) => [div(dY, scale(y, 2))],
  },
  { keepsNoGradients: true },
);

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
