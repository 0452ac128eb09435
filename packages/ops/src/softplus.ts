import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkFinite, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';
import { scale } from './scale';
import { sigmoid } from './sigmoid';

export const derivation: Derivation = {
  op: 'softplus',
  definition: 'Y = (1/β) log(1 + e^{βX}) element-wise (β = 1 by default), computed as max(X, 0) + log1p(e^{−β|X|})/β',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ σ(βX)' },
  steps: [
    '∂Y/∂X = (1/β) β e^{βX} / (1 + e^{βX}) = σ(βX)',
    'dX = dY ⊙ σ(βX), which is again differentiable (σ’s rule)',
    'log(1 + e^{t}) = max(t, 0) + log1p(e^{−|t|}) never overflows; PyTorch instead returns X when βX > 20 (a difference below 2.1e-9 X)',
  ],
  saves: 'input X',
  ko: {
    definition: 'Y = (1/β) log(1 + e^{βX}), 원소별 (기본값 β = 1), max(X, 0) + log1p(e^{−β|X|})/β로 계산한다',
    steps: [
      '∂Y/∂X = (1/β) β e^{βX} / (1 + e^{βX}) = σ(βX)',
      'dX = dY ⊙ σ(βX), 이것도 다시 미분할 수 있다 (σ의 규칙)',
      'log(1 + e^{t}) = max(t, 0) + log1p(e^{−|t|})는 오버플로하지 않는다. PyTorch는 βX > 20이면 X를 그대로 돌려준다 (차이는 2.1e-9 X 미만)',
    ],
    saves: '입력 X',
  },
};

const softplusOp: Op<{ beta: number }> = defineOp<{ beta: number }>(
  {
    name: 'softplus',
    inputNames: ['x'],
    forward([x], { beta }) {
      const y = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) {
        const t = beta * x.data[i];
        y[i] = (Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)))) / beta;
      }
      return new Tensor(y, x.shape);
    },
    backward: (dY, { inputs: [x], attrs: { beta } }) => [mul(dY, sigmoid(scale(x, beta)))],
  },
  { keepsNoGradients: true },
);

/**
 * A smooth relu: log(1 + e^{βx})/β element-wise, without overflow for any x. NaN gives NaN.
 *
 * @throws TypeError when x is not a float Tensor or beta is not a positive finite number.
 * @example
 * softplus(tensor([0])) // [0.6931]  (log 2)
 */
export function softplus(x: Tensor, options: { beta?: number } = {}): Tensor {
  checkTensor('softplus', 'x', x);
  const beta = checkFinite('softplus', 'beta', options.beta ?? 1);
  if (beta <= 0) throw new RangeError(`softplus: beta must be positive, got ${beta}`);
  return softplusOp([x], { beta });
}
