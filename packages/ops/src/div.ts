import { type Op, defineOp, type Tensor } from '@attograd/tensor';
import { operands } from './checks';
import type { Derivation } from './derivation';
import { binaryKernel } from './kernels/elementwise';
import { mul } from './mul';
import { neg } from './neg';

export const derivation: Derivation = {
  op: 'div',
  definition: 'C = A / B element-wise (B ≠ 0); A and B broadcast to the shape of C',
  kind: 'nonlinear',
  backward: { a: 'dA = dC / B', b: 'dB = −dC ⊙ C / B' },
  steps: [
    '∂C_i/∂A_i = 1/B_i',
    '∂C_i/∂B_i = −A_i/B_i² = −C_i/B_i',
    'dA = dC / B and dB = −dC ⊙ C / B, each summed over the axes along which that input was broadcast',
  ],
  saves: 'input B and output C',
  ko: {
    definition: 'C = A / B, 원소별 나눗셈 (B ≠ 0); A와 B는 C의 모양으로 브로드캐스트된다',
    steps: [
      '∂C_i/∂A_i = 1/B_i',
      '∂C_i/∂B_i = −A_i/B_i² = −C_i/B_i',
      'dA = dC / B, dB = −dC ⊙ C / B. 브로드캐스트된 입력은 그 축을 따라 더한 값을 받는다',
    ],
    saves: '입력 B와 출력 C',
  },
};

const divOp: Op<Record<string, never>> = defineOp(
  {
    name: 'div',
    inputNames: ['a', 'b'],
    forward: ([a, b]) => binaryKernel('div', a, b, ['a', 'b']),
    backward: (dC, { inputs: [, b], output: c, needsGrad }) => [
      needsGrad[0] ? divOp([dC, b], {}) : null,
      needsGrad[1] ? neg(mul(dC, divOp([c, b], {}))) : null,
    ],
  },
  { keepsNoGradients: true },
);

/**
 * a / b element-wise with broadcasting; either may be a number (not both). The result has the broadcast shape of a and b;
 * each gradient is summed back to its input's shape.
 *
 * @throws TypeError when a or b is neither a Tensor nor a number, both are numbers, or one is int32; RangeError when
 * the shapes do not broadcast (naming both shapes).
 * @example
 * div(tensor([[1, 2], [3, 4]]), tensor([10, 20])) // shape [2, 2]
 * div(x, 2)                                       // a number works as a scalar
 * div(1, x)                                       // on either side
 */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  return divOp(operands('div', a, b), {});
}
