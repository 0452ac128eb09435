import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';

export const derivation: Derivation = {
  op: 'relu',
  definition: 'Y = max(X, 0) element-wise;  NaN stays NaN',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ [Y > 0 ∨ isnan(Y)]' },
  steps: [
    '∂Y_i/∂X_i = 1 where X_i > 0 and 0 where X_i < 0',
    'at X_i = 0 relu has no derivative; the subgradient 0 is used (as PyTorch)',
    'a NaN input gives a NaN output, and the gradient passes through it unchanged (as PyTorch, whose rule tests Y ≤ 0)',
    'dX = dY ⊙ M with M a constant 0/1 mask: the second derivative is 0',
  ],
  saves: 'the 0/1 mask M = [Y > 0 ∨ isnan(Y)]',
  ko: {
    definition: 'Y = max(X, 0), 원소별; NaN은 NaN으로 남는다',
    steps: [
      'X_i > 0이면 ∂Y_i/∂X_i = 1, X_i < 0이면 0',
      'X_i = 0에서 relu는 도함수가 없고, 하방기울기 0을 쓴다 (PyTorch와 같다)',
      'NaN 입력은 NaN을 출력하고 기울기는 그대로 통과한다 (Y ≤ 0을 검사하는 PyTorch의 규칙과 같다)',
      'M을 상수 0/1 마스크로 두고 dX = dY ⊙ M: 2계 도함수는 0이다',
    ],
    saves: '0/1 마스크 M = [Y > 0 ∨ isnan(Y)]',
  },
};

const reluOp: Op<Record<string, never>> = defineOp<Record<string, never>, Tensor>(
  {
    name: 'relu',
    inputNames: ['x'],
    forward([x]) {
      const y = allocate(x.dtype, x.size);
      const passes = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) {
        const v = x.data[i];
        // `v < 0 ? 0 : v` keeps NaN (a comparison with NaN is false) and −0, as torch.relu.
        // biome-ignore lint/complexity/useMathMinMax: Math.max(v, 0) turns −0 into 0 and costs a call per element.
        y[i] = v < 0 ? 0 : v;
        passes[i] = y[i] <= 0 ? 0 : 1;
      }
      return { output: new Tensor(y, x.shape), saved: new Tensor(passes, x.shape) };
    },
    backward: (dY, { saved: mask }) => [mul(dY, mask)],
  },
  { keepsNoGradients: true },
);

/**
 * The rectified linear unit max(x, 0), element-wise. The gradient at 0 is 0; NaN propagates.
 *
 * @throws TypeError when x is not a float Tensor.
 * @example
 * relu(tensor([-1, 0, 2])) // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  checkTensor('relu', 'x', x);
  return reluOp([x], {});
}
