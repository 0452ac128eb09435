import { broadcastShapes, formatShape, noGrad, rangeError, type Tensor, withLabel } from '@attograd/tensor';
import { matmulTransposed } from '@attograd/ops';
import { checkMinRank, checkTensor } from './checks';
import { fitTo } from './hand-kernels';

/**
 * Stage 1, scores:  S = Q·Kᵀ,  S_ij = Σ_c Q_ic K_jc  (how well query i matches key j).
 * Q: [..., T_q, d_k], K: [..., T_k, d_k] → S: [..., T_q, T_k]. Kᵀ is never materialised.
 *
 * Backward, given dS:  dQ = dS·K,  dK = dSᵀ·Q.
 */

/** Checks q and k for S = Q·Kᵀ; returns the scores' shape. */
export function checkScores(fn: string, q: unknown, k: unknown): number[] {
  const queries = checkTensor(fn, 'q', q);
  const keys = checkTensor(fn, 'k', k);
  checkMinRank(fn, 'q', queries, 2, '[..., T, d_k]');
  checkMinRank(fn, 'k', keys, 2, '[..., T, d_k]');
  const [tq, dq] = queries.shape.slice(-2);
  const [tk, dk] = keys.shape.slice(-2);
  if (dq !== dk) {
    throw rangeError(
      fn,
      `q ${formatShape(queries.shape)} and k ${formatShape(keys.shape)} must have the same last dimension d_k for S = Q·Kᵀ (${dq} vs ${dk})`,
    );
  }
  const batch = broadcastShapes(fn, queries.shape.slice(0, -2), keys.shape.slice(0, -2), ['batch axes of q', 'batch axes of k']);
  return [...batch, tq, tk];
}

/**
 * Stage 1: the dot product of every query with every key, S = Q·Kᵀ. Ops are labelled `'scores'`.
 *
 * @throws TypeError when q or k is not a Tensor; RangeError when they have fewer than 2 axes,
 * different last dimensions or batch axes that do not broadcast.
 * @example
 * scores(q, k) // q, k: [3, 4] → [3, 3]
 */
export function scores(q: Tensor, k: Tensor): Tensor {
  checkScores('scores', q, k);
  return scoresUnchecked(q, k);
}

/** `scores` on arguments a composite has already checked. */
export function scoresUnchecked(q: Tensor, k: Tensor): Tensor {
  return withLabel('scores', () => matmulTransposed(q, k, false, true));
}

/**
 * Hand-derived backward of stage 1: dQ = dS·K and dK = dSᵀ·Q (each summed back over any batch
 * axis that was broadcast).
 *
 * @example
 * const { q: dQ, k: dK } = scoresBackward(q, k, dS);
 */
export function scoresBackward(q: Tensor, k: Tensor, dS: Tensor): { q: Tensor; k: Tensor } {
  return noGrad(() => ({
    q: fitTo(matmulTransposed(dS, k, false, false), q),
    k: fitTo(matmulTransposed(dS, q, true, false), k),
  }));
}
