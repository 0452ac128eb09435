import { allocate, defineOp, type Op, Tensor } from '@attograd/tensor';
import type { Derivation } from './derivation';
import { checkClassTargets, checkReduction, type Reduction } from './loss-options';
import { mul } from './mul';
import { reshape } from './reshape';
import { scale } from './scale';

export const derivation: Derivation = {
  op: 'nllLoss',
  definition: 'per row r of log-probabilities X [..., C]: ℓ_r = −X_{r, t_r} (0 where t_r = ignoreIndex); mean over the N counted rows, sum, or none',
  kind: 'linear',
  backward: { logProbs: 'dX_{r,c} = −w_r·[c = t_r],  w_r = dL/N (mean), dL (sum), dℓ_r (none); 0 for ignored rows' },
  steps: [
    'ℓ_r picks one entry of row r and negates it: a linear map, so its backward is its adjoint',
    'the adjoint puts −w_r at the target position of row r and 0 elsewhere (a scatter of −w)',
    'crossEntropy(X, t) = nllLoss(logSoftmax(X), t) without label smoothing',
  ],
  saves: 'the negated one-hot targets (a constant) and N',
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
  backward(dL, { attrs: { reduction }, saved: { negOneHot, count } }) {
    if (reduction === 'none') return [mul(reshape(dL, [...dL.shape, 1]), negOneHot)];
    return [mul(reduction === 'mean' ? scale(dL, 1 / count) : dL, negOneHot)];
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
