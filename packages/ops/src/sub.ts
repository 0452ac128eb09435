import { defineOp, sumToShape, type Tensor } from '@attograd/tensor';
import { operands } from './checks';
import type { Derivation } from './derivation';
import { binaryKernel } from './kernels/elementwise';
import { neg } from './neg';

export const derivation: Derivation = {
  op: 'sub',
  definition: 'C = A − B element-wise; A and B broadcast to the shape of C',
  kind: 'linear',
  backward: { a: 'dA = dC', b: 'dB = −dC' },
  steps: ['∂C_i/∂A_i = 1 and ∂C_i/∂B_i = −1', 'dA = dC and dB = −dC, each summed over the axes along which that input was broadcast'],
  saves: 'nothing',
  ko: {
    definition: 'C = A − B, 원소별 뺄셈; A와 B는 C의 모양으로 브로드캐스트된다',
    steps: ['∂C_i/∂A_i = 1이고 ∂C_i/∂B_i = −1', 'dA = dC, dB = −dC. 브로드캐스트된 입력은 그 축을 따라 더한 값을 받는다'],
    saves: '없음',
  },
};

const subOp = defineOp({
  name: 'sub',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => binaryKernel('sub', a, b, ['a', 'b']),
  // dB is summed to b's shape before it is negated (the engine would sum after): the same values,
  // since negation is exact, and for a broadcast b (a column, a bias) one pass over dC, not two.
  backward: (dC, { inputs: [, b], needsGrad }) => [dC, needsGrad[1] ? neg(sumToShape(dC, b.shape)) : null],
});

/**
 * a − b element-wise with broadcasting; either may be a number (not both). The result has the broadcast shape of a and b;
 * each gradient is summed back to its input's shape.
 *
 * @throws TypeError when a or b is neither a Tensor nor a number, both are numbers, or one is int32; RangeError when
 * the shapes do not broadcast (naming both shapes).
 * @example
 * sub(tensor([[1, 2], [3, 4]]), tensor([10, 20])) // shape [2, 2]
 * sub(x, 2)                                       // a number works as a scalar
 * sub(1, x)                                       // on either side
 */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  return subOp(operands('sub', a, b), {});
}
