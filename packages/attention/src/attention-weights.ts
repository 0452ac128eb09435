import { noGrad, type Tensor, withLabel } from '@attograd/tensor';
import { mul, softmax, sub, sum, where } from '@attograd/ops';
import { checkMinRank, checkTensor } from './checks';
import { allowedPositions, type MaskOptions } from './mask';

/**
 * Stage 3, softmax:  P = softmax_row(where(M, Ŝ, −∞)),
 *   P_ij = M_ij exp(Ŝ_ij) / Σ_l M_il exp(Ŝ_il)  (M_ij ∈ {0, 1}; the sum runs over the allowed l),
 * so P_ij = 0 for every masked j. M ≠ 0 means "may attend" (PyTorch's boolean attn_mask).
 * Ŝ: [..., T_q, T_k] → P: the same shape, each row with an allowed key a probability distribution.
 * Disallowed positions (M = 0, or j > i when causal) become −Infinity first, so they get
 * probability 0. A row with no allowed position is 0/0; attograd's convention makes it all zeros
 * with a zero gradient (PyTorch's F.softmax gives NaN).
 *
 * Backward, given dP: per row the Jacobian is J = diag(p) − p pᵀ (p a row of P as a column
 * vector); J is symmetric, so the vector-Jacobian product Jᵀ dp equals J dp, and
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
