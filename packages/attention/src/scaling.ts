import { describe, noGrad, rangeError, type Tensor, withLabel } from '@attograd/tensor';
import { scale } from '@attograd/ops';
import { checkTensor } from './checks';

/**
 * Stage 2, scaling:  Ŝ = S / √d_k.
 * S: any shape → Ŝ: the same shape. d_k is the length of each query and key vector.
 *
 * Backward, given dŜ:  dS = dŜ / √d_k. Ŝ = c S with c = 1/√d_k is linear, and the vector-Jacobian
 * product of a linear map is its adjoint (its transpose); c I is its own transpose, so dS = c dŜ.
 */

function checkKeyDim(fn: string, keyDim: unknown): number {
  if (typeof keyDim !== 'number' || !Number.isFinite(keyDim) || keyDim <= 0) {
    throw rangeError(fn, `dK (the key dimension d_k) must be a positive number, got ${describe(keyDim)}`);
  }
  return keyDim;
}

/**
 * Stage 2: divides the scores by √d_k so that their spread does not grow with d_k. Ops are
 * labelled `'scaling'`.
 *
 * @param keyDim d_k, the number of columns of Q and K (per head).
 * @throws TypeError when s is not a Tensor; RangeError when keyDim is not a positive number.
 * @example
 * scaleScores(s, 4) // every score halved
 */
export function scaleScores(s: Tensor, keyDim: number): Tensor {
  checkTensor('scaleScores', 's', s);
  checkKeyDim('scaleScores', keyDim);
  return scaleScoresUnchecked(s, keyDim);
}

/** `scaleScores` on arguments a composite has already checked. */
export function scaleScoresUnchecked(s: Tensor, keyDim: number): Tensor {
  return withLabel('scaling', () => scale(s, 1 / Math.sqrt(keyDim)));
}

/**
 * Hand-derived backward of stage 2: dS = dŜ / √d_k.
 *
 * @example
 * const { s: dS } = scaleScoresBackward(4, dSHat);
 */
export function scaleScoresBackward(keyDim: number, dSHat: Tensor): { s: Tensor } {
  checkKeyDim('scaleScoresBackward', keyDim);
  return noGrad(() => ({ s: scale(dSHat, 1 / Math.sqrt(keyDim)) }));
}
