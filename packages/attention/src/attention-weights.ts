import { noGrad, type Tensor, withLabel } from '@attograd/tensor';
import { mul, softmax, sub, sum, where } from '@attograd/ops';
import { checkMinRank, checkTensor } from './checks';
import { allowedPositions, type MaskOptions } from './mask';

/**
 * Stage 3, softmax:  P = softmax_row(Ŝ masked),  P_ij = exp(Ŝ_ij) / Σ_l exp(Ŝ_il)  over allowed j.
 * Ŝ: [..., T_q, T_k] → P: the same shape, each row a probability distribution.
 * Disallowed positions (mask = 0, or j > i when causal) become −Infinity first, so they get
 * probability 0. A row with no allowed position becomes all zeros, with a zero gradient.
 *
 * Backward, given dP: per row the Jacobian is diag(p) − p pᵀ, so
 *   dŜ = P ⊙ (dP − rowsum(dP ⊙ P))   (zero at masked positions, where P = 0).
 */

/**
 * Stage 3: turns each row of scaled scores into attention weights that are non-negative and sum
 * to 1 (or are all 0 for a row with no allowed key). Ops are labelled `'softmax'`.
 *
 * @throws TypeError when sHat or mask is not a Tensor; RangeError when sHat has fewer than 2 axes
 * or the mask does not broadcast to sHat's shape.
 * @example
 * attentionWeights(sHat, { causal: true }) // row i spreads its weight over keys 0..i
 */
export function attentionWeights(sHat: Tensor, options: MaskOptions = {}): Tensor {
  checkTensor('attentionWeights', 'sHat', sHat);
  checkMinRank('attentionWeights', 'sHat', sHat, 2, '[..., T, T]');
  return attentionWeightsUnchecked(sHat, options);
}

/** `attentionWeights` on a score tensor a composite has already checked (the mask is resolved here). */
export function attentionWeightsUnchecked(sHat: Tensor, options: MaskOptions): Tensor {
  const allowed = allowedPositions('attentionWeights', options, sHat);
  return withLabel('softmax', () => softmax(allowed === null ? sHat : where(allowed, sHat, -Infinity), -1));
}

/**
 * Hand-derived backward of stage 3 from its output P: dŜ = P ⊙ (dP − rowsum(dP ⊙ P)). The mask
 * needs no term of its own: P is 0 wherever it removed a score.
 *
 * @example
 * const { sHat: dSHat } = attentionWeightsBackward(p, dP);
 */
export function attentionWeightsBackward(p: Tensor, dP: Tensor): { sHat: Tensor } {
  return noGrad(() => ({ sHat: mul(p, sub(dP, sum(mul(dP, p), -1, true))) }));
}
