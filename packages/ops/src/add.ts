import { defineOp, type Tensor } from '@attograd/tensor';
import { operands } from './checks';
import type { Derivation } from './derivation';
import { binaryKernel } from './kernels/elementwise';

export const derivation: Derivation = {
  op: 'add',
  definition: 'C = A + B element-wise; A and B broadcast to the shape of C',
  kind: 'linear',
  backward: { a: 'dA = dC', b: 'dB = dC' },
  steps: [
    '∂C_i/∂A_i = 1 and ∂C_i/∂B_i = 1 (i runs over the elements of C)',
    'so each input receives dC unchanged; an input that was broadcast receives dC summed over its broadcast axes (done once, by the engine)',
  ],
  saves: 'nothing',
  ko: {
    definition: 'C = A + B, 원소별 덧셈; A와 B는 C의 모양으로 브로드캐스트된다',
    steps: [
      '∂C_i/∂A_i = 1, ∂C_i/∂B_i = 1 (i는 C의 원소 번호)',
      '그러므로 두 입력 모두 dC를 그대로 받는다. 브로드캐스트된 입력은 브로드캐스트된 축을 따라 더한 dC를 받는다 (엔진이 한 곳에서 처리한다)',
    ],
    saves: '없음',
  },
};

const addOp = defineOp(
  {
    name: 'add',
    inputNames: ['a', 'b'],
    forward: ([a, b]) => binaryKernel('add', a, b, ['a', 'b']),
    backward: (dC) => [dC, dC],
  },
  { keepsNoGradients: true },
);

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
