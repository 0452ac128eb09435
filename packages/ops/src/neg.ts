import { type Op, defineOp, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { unaryKernel } from './kernels/elementwise';

export const derivation: Derivation = {
  op: 'neg',
  definition: 'Y = −X element-wise',
  kind: 'linear',
  backward: { x: 'dX = −dY' },
  steps: ['∂Y_i/∂X_i = −1 and ∂Y_i/∂X_j = 0 for j ≠ i', 'dX = −dY'],
  saves: 'nothing',
  ko: {
    definition: 'Y = −X, 원소별 부호 반전',
    steps: ['∂Y_i/∂X_i = −1이고 j ≠ i이면 ∂Y_i/∂X_j = 0', 'dX = −dY'],
    saves: '없음',
  },
};

const negOp: Op<Record<string, never>> = defineOp(
  {
    name: 'neg',
    inputNames: ['x'],
    forward: ([x]) => unaryKernel('neg', x),
    backward: (dY) => [negOp([dY], {})],
  },
  { keepsNoGradients: true },
);

/**
 * −x element-wise.
 * Same shape as x.
 *
 * @throws TypeError when x is not a Tensor.
 * @example
 * neg(tensor([1, -2])) // [-1, 2]
 */
export function neg(x: Tensor): Tensor {
  checkTensor('neg', 'x', x);
  return negOp([x], {});
}
