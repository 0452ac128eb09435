import { type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { unaryKernel } from './kernels/elementwise';

export const derivation: Derivation = {
  op: 'neg',
  definition: 'Y = −X element-wise',
  kind: 'linear',
  backward: { x: 'dX = −dY' },
  steps: ['∂Y_i/∂X_i = −1', 'dX = −dY'],
  saves: 'nothing',
};

const negOp: Op<Record<string, never>> = defineOp({
  name: 'neg',
  inputNames: ['x'],
  forward: ([x]) => unaryKernel('neg', x),
  backward: (dY) => [negOp([dY], {})],
});

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
