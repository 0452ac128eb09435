import { allocate, defineOp, type Op, Tensor } from '@attograd/tensor';
import type { Derivation } from './derivation';
import { div } from './div';
import { checkClassTargets, checkReduction, type Reduction } from './loss-options';
import { mul } from './mul';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'nllLoss',
  definition:
    'per row r of log-probabilities X [..., C]: ℓ_r = −X_{r, t_r} (0 where t_r = ignoreIndex); mean over the N counted rows, sum, or none',
  kind: 'linear',
  backward: {
    logProbs: "dX_{r,c} = −w_r [c = t_r];  w_r = u_r dL/N (reduction='mean'), u_r dL (reduction='sum'), u_r dℓ_r (reduction='none')",
  },
  steps: [
    'ℓ_r picks one entry of row r and negates it: a linear map, so its backward is its adjoint',
    'the adjoint puts −w_r at the target position of row r and 0 elsewhere (a scatter of −w)',
    'crossEntropy(X, t) = nllLoss(logSoftmax(X), t) without label smoothing',
  ],
  saves: 'the negated one-hot targets (a constant) and N',
  notes: [
    'with no counted row (N = 0) the mean is 0/0 = NaN but the gradient is 0 (as PyTorch): the rule divides by max(N, 1)',
    'u_r = [t_r ≠ ignoreIndex] is 1 for counted rows and 0 for ignored ones',
  ],
  ko: {
    definition:
      "로그 확률 X [..., C]의 각 행 r에 대해 ℓ_r = −X_{r, t_r} (t_r = ignoreIndex이면 0); 세는 N개 행의 평균 (reduction='mean'), 합 (reduction='sum'), 또는 행별 값 (reduction='none')",
    steps: [
      'ℓ_r는 행 r의 한 원소를 골라 부호를 바꾼다: 선형 사상이므로 역전파는 그 수반이다',
      '수반은 행 r의 목표 위치에 −w_r를, 다른 곳에 0을 둔다 (−w를 흩어 쓰기)',
      '레이블 스무딩이 없으면 crossEntropy(X, t) = nllLoss(logSoftmax(X), t)',
    ],
    saves: '부호를 바꾼 원-핫 목표 (상수)와 N',
    notes: [
      '세는 행이 없으면 (N = 0) mean 손실은 0/0 = NaN이지만 기울기는 0이다 (PyTorch와 같다): 규칙은 max(N, 1)로 나눈다',
      'u_r = [t_r ≠ ignoreIndex]는 세는 행이면 1, 무시하는 행이면 0이다',
    ],
  },
};

interface NllAttrs {
  targets: Tensor;
  ignoreIndex: number;
  reduction: Reduction;
}

const nllLossOp: Op<NllAttrs> = defineOp<NllAttrs, { negOneHot: Tensor; count: number }>({
  name: 'nllLoss',
  inputNames: ['logProbs'],
  forward([x], { targets, ignoreIndex, reduction }) {
    const classes = x.shape[x.rank - 1];
    const rows = targets.size;
    const negOneHot = allocate(x.dtype, x.size);
    const losses = allocate(x.dtype, rows);
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const target = targets.data[r];
      if (target === ignoreIndex) continue;
      count += 1;
      negOneHot[r * classes + target] = -1;
      losses[r] = -x.data[r * classes + target];
    }
    const saved = { negOneHot: new Tensor(negOneHot, x.shape), count };
    if (reduction === 'none') return { output: new Tensor(losses, x.shape.slice(0, -1)), saved };
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += losses[r];
    const output = allocate(x.dtype, 1);
    output[0] = reduction === 'sum' ? sum : sum / count;
    return { output: new Tensor(output, []), saved };
  },
  // With no counted row the loss is NaN but the gradient 0 (as PyTorch): divide by max(N, 1).
  backward(dL, { attrs: { reduction }, saved: { negOneHot, count } }) {
    if (reduction === 'none') return [mul(reshape(dL, [...dL.shape, 1]), negOneHot)];
    return [mul(reduction === 'mean' ? div(dL, Math.max(count, 1)) : dL, negOneHot)];
  },
});

/**
 * The negative log-likelihood of int32 class targets [...] under log-probabilities [..., C]
 * (classes on the last axis): −logProbs[r, t_r], averaged over the rows whose target is not
 * `ignoreIndex` (default −100). Feed it logSoftmax(logits), or use crossEntropy directly.
 *
 * @throws as crossEntropy.
 * @example
 * nllLoss(logSoftmax(logits), tensor([2, 0], { dtype: 'int32' }))
 */
export function nllLoss(logProbs: Tensor, targets: Tensor, options: { ignoreIndex?: number; reduction?: Reduction } = {}): Tensor {
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkClassTargets('nllLoss', 'logProbs', logProbs, targets, ignoreIndex);
  return nllLossOp([logProbs], { targets, ignoreIndex, reduction: checkReduction('nllLoss', options.reduction) });
}
