import { broadcastShapes, formatShape, noGrad, rangeError, type Tensor, withLabel } from '@attograd/tensor';
import { matmul, matmulTransposed } from '@attograd/ops';
import { checkMinRank, checkTensor } from './checks';
import { fitTo } from './hand-kernels';

/**
 * Stage 4, weighted sum:  Z = P·V,  Z_i = Σ_j P_ij V_j  (each output row mixes the value rows).
 * P: [..., T_q, T_k], V: [..., T_k, d_v] → Z: [..., T_q, d_v].
 *
 * Backward, given dZ:  dP = dZ·Vᵀ,  dV = Pᵀ·dZ.
 */

/**
 * Stage 4: each query's output is the average of the value vectors weighted by its attention
 * row. Ops are labelled `'weightedSum'`.
 *
 * @throws TypeError when p or v is not a Tensor; RangeError when p's key count differs from v's
 * row count or batch axes do not broadcast.
 * @example
 * weightedSum(p, v) // p: [3, 3], v: [3, 4] → [3, 4]
 */
export function weightedSum(p: Tensor, v: Tensor): Tensor {
  checkTensor('weightedSum', 'p', p);
  checkTensor('weightedSum', 'v', v);
  checkMinRank('weightedSum', 'p', p, 2, '[..., T, T]');
  checkMinRank('weightedSum', 'v', v, 2, '[..., T, d_v]');
  if (p.shape[p.rank - 1] !== v.shape[v.rank - 2]) {
    throw rangeError(
      'weightedSum',
      `p ${formatShape(p.shape)} weighs ${p.shape[p.rank - 1]} keys but v ${formatShape(v.shape)} has ${v.shape[v.rank - 2]} rows (Z = P·V)`,
    );
  }
  broadcastShapes('weightedSum', p.shape.slice(0, -2), v.shape.slice(0, -2), ['batch axes of p', 'batch axes of v']);
  return weightedSumUnchecked(p, v);
}

/** `weightedSum` on arguments a composite has already checked. */
export function weightedSumUnchecked(p: Tensor, v: Tensor): Tensor {
  return withLabel('weightedSum', () => matmul(p, v));
}

/**
 * Hand-derived backward of stage 4: dP = dZ·Vᵀ and dV = Pᵀ·dZ.
 *
 * @example
 * const { p: dP, v: dV } = weightedSumBackward(p, v, dZ);
 */
export function weightedSumBackward(p: Tensor, v: Tensor, dZ: Tensor): { p: Tensor; v: Tensor } {
  return noGrad(() => ({
    p: fitTo(matmulTransposed(dZ, v, false, true), p),
    v: fitTo(matmulTransposed(p, dZ, true, false), v),
  }));
}
