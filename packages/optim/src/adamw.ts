/**
 * AdamW — Adam with decoupled weight decay (Loshchilov & Hutter, 2019), step for step as PyTorch
 * 1.13's `torch.optim.AdamW`.
 *
 * Identical to Adam (adam.ts) except for the weight decay, which shrinks the parameter directly
 * instead of entering the gradient:
 *   p ← p·(1 − η·λ)                                (first, with the step's learning rate η)
 *   m, v, v̄ and the step of p as in Adam, with the raw gradient g
 * Because the decay bypasses the adaptive denominator √v̂ + ε, every weight decays at the same
 * relative rate η·λ, however large or small its gradients; with Adam's L2 term, weights with large
 * gradients would barely decay. Default λ = 1e-2.
 * State: `step`, `expAvg`, `expAvgSq`, and `maxExpAvgSq` with amsgrad (as Adam).
 */
import { AdamFamily, type AdamOptions } from './adam';
import type { Params } from './optimizer';

/**
 * Adam with decoupled weight decay: the usual choice for transformers.
 *
 * @example
 * const optimizer = new AdamW(params, { lr: 3e-4, weightDecay: 0.1 });
 */
export class AdamW extends AdamFamily {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, options, true);
  }
}
