import { defineOp, Tensor } from '@attograd/tensor';
import { operands } from './checks';
import type { Derivation } from './derivation';
import { binaryKernel } from './kernels/elementwise';

export const derivation: Derivation = {
  op: 'add',
  definition: 'C = A + B element-wise, shapes broadcast;  C: broadcast(A, B)',
  kind: 'linear',
  backward: { a: 'dA = dC', b: 'dB = dC' },
  steps: ['∂C_i/∂A_i = 1 and ∂C_i/∂B_i = 1', 'each input receives dC unchanged (summed over its broadcast axes)'],
  saves: 'nothing',
};

const addOp = defineOp({
  name: 'add',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => binaryKernel('add', a, b, ['a', 'b']),
  backward: (dC) => [dC, dC],
});

/**
 * a + b element-wise with broadcasting; either may be a number (not both). The result has the broadcast shape of a and b;
 * each gradient is summed back to its input's shape.
 *
 * @throws TypeError when a or b is neither a Tensor nor a number, both are numbers, or one is int32; RangeError when
 * the shapes do not broadcast (naming both shapes).
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])) // shape [2, 2]
 * add(x, 2)                                       // a number works as a scalar
 * add(1, x)                                       // on either side
 */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  return addOp(operands('add', a, b), {});
}
