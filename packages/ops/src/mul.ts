import { defineOp, type Tensor } from '@attograd/tensor';
import { operands } from './checks';
import type { Derivation } from './derivation';
import { binaryKernel } from './kernels/elementwise';

export const derivation: Derivation = {
  op: 'mul',
  definition: 'C = A ⊙ B element-wise; A and B broadcast to the shape of C',
  kind: 'bilinear',
  backward: { a: 'dA = dC ⊙ B', b: 'dB = dC ⊙ A' },
  steps: [
    '∂C_i/∂A_i = B_i and ∂C_i/∂B_i = A_i',
    'dA = dC ⊙ B and dB = dC ⊙ A, each summed over the axes along which that input was broadcast',
  ],
  saves: 'inputs A and B',
  ko: {
    definition: 'C = A ⊙ B, 원소별 곱셈; A와 B는 C의 모양으로 브로드캐스트된다',
    steps: ['∂C_i/∂A_i = B_i이고 ∂C_i/∂B_i = A_i', 'dA = dC ⊙ B, dB = dC ⊙ A. 브로드캐스트된 입력은 그 축을 따라 더한 값을 받는다'],
    saves: '입력 A와 B',
  },
};

const mulOp = defineOp(
  {
    name: 'mul',
    inputNames: ['a', 'b'],
    forward: ([a, b]) => binaryKernel('mul', a, b, ['a', 'b']),
    backward: (dC, { inputs: [a, b], needsGrad }) => [needsGrad[0] ? mul(dC, b) : null, needsGrad[1] ? mul(dC, a) : null],
  },
  { keepsNoGradients: true },
);

/**
 * a ⊙ b element-wise with broadcasting; either may be a number (not both). The result has the broadcast shape of a and b;
 * each gradient is summed back to its input's shape.
 *
 * @throws TypeError when a or b is neither a Tensor nor a number, both are numbers, or one is int32; RangeError when
 * the shapes do not broadcast (naming both shapes).
 * @example
 * mul(tensor([[1, 2], [3, 4]]), tensor([10, 20])) // shape [2, 2]
 * mul(x, 2)                                       // a number works as a scalar
 * mul(1, x)                                       // on either side
 */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  return mulOp(operands('mul', a, b), {});
}
