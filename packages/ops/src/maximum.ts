import type { Tensor } from '@attograd/tensor';
import { operands } from './checks';
import type { Derivation } from './derivation';
import { defineExtremumOp } from './extremum';

export const derivation: Derivation = {
  op: 'maximum',
  definition: 'C = the larger of A and B element-wise, shapes broadcast;  NaN in either gives NaN',
  kind: 'nonlinear',
  backward: { a: 'dA = dC ⊙ W_A', b: 'dB = dC ⊙ W_B' },
  steps: [
    'C_i is A_i where A_i > B_i and B_i where B_i > A_i: the gradient goes to the one chosen (weight 1, the other 0)',
    'at a tie A_i = B_i the gradient is split, ½ each (as PyTorch)',
    'where A_i or B_i is NaN, C_i is NaN and both get the full gradient (as PyTorch’s rule, which only zeroes the side that lost a comparison)',
    'dA = dC ⊙ W_A, dB = dC ⊙ W_B with constant weights, summed over broadcast axes',
  ],
  saves: 'the weights W_A and W_B',
  ko: {
    definition: 'C = A와 B 가운데 원소별로 더 큰 값, 모양은 브로드캐스트된다; 어느 한쪽이 NaN이면 NaN',
    steps: [
      'A_i > B_i이면 C_i는 A_i, B_i > A_i이면 B_i이다: 기울기는 선택된 쪽으로 간다 (가중치 1, 다른 쪽 0)',
      '동점 A_i = B_i에서는 기울기를 반씩 나눈다 (PyTorch와 같다)',
      'A_i나 B_i가 NaN이면 C_i도 NaN이고 두 쪽 모두 기울기 전체를 받는다 (비교에서 진 쪽만 0으로 만드는 PyTorch의 규칙과 같다)',
      '상수 가중치로 dA = dC ⊙ W_A, dB = dC ⊙ W_B, 브로드캐스트된 축을 따라 더한다',
    ],
    saves: '가중치 W_A와 W_B',
  },
};

const maximumOp = defineExtremumOp('maximum');

/**
 * The element-wise larger of a and b with broadcasting; either may be a number (not both). NaN
 * propagates; at ties the gradient is shared ½/½.
 *
 * @throws TypeError when a or b is neither a float Tensor nor a number, or both are numbers;
 * RangeError when the shapes do not broadcast.
 * @example
 * maximum(tensor([1, 5]), tensor([3, 2])) // [3, 5]
 * maximum(x, 0)                           // relu, with ½ gradient at 0
 */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  return maximumOp(operands('maximum', a, b), {});
}
