import { noGrad, shapesEqual, formatShape, rangeError, type Tensor, tensor, withLabel } from '@attograd/tensor';
import { add, div, LAYER_NORM_EPS, layerNorm, mean, mul, sqrt, sub, sum } from '@attograd/ops';
import { checkAffine, checkEps, checkMinRank, checkTensor, checkWeightsObject } from './checks';
import { rowsOf } from './hand-kernels';

/**
 * Stage 5, residual + layer norm (post-norm):  H = X + Z,  Y = γ ⊙ N + β,
 *   N = (H − μ) ⊙ rstd,  μ = rowmean(H),  var = rowmean((H − μ)²),  rstd = 1/√(var + ε)
 *   along the last axis (biased variance).
 * X, Z: [..., T, d]; γ, β: [d] → Y: [..., T, d].
 *
 * Backward, given dY:
 *   dβ = colsum(dY),  dγ = colsum(dY ⊙ N),  dN = dY ⊙ γ,
 *   dH = rstd ⊙ (dN − rowmean(dN) − N ⊙ rowmean(dN ⊙ N)),
 *   dX_res = dZ = dH  (the residual copies dH to both; dX_res is the residual's share of the block's dX).
 * With ε > 0 each row of N has mean 0 but variance var/(var + ε): exactly 1 only when ε = 0.
 */

/** γ and β of the layer norm: [d] each. */
export interface LayerNormWeights {
  /** γ, the scale: [d]. */
  gamma: Tensor;
  /** β, the shift: [d]. */
  beta: Tensor;
}

/**
 * Stage 5: adds the attention output back to its input (the residual path) and normalises each
 * row to mean 0 and variance var/(var + ε) (1 when ε = 0) before the learned scale γ and shift β. Ops are labelled
 * `'residualLayerNorm'`.
 *
 * @throws TypeError when an argument is not a Tensor; RangeError when x and z differ in shape,
 * γ or β is not [d], or eps is not positive.
 * @example
 * residualLayerNorm(x, z, { gamma: ones([4]), beta: zeros([4]) }) // x, z: [3, 4] → [3, 4]
 */
export function residualLayerNorm(x: Tensor, z: Tensor, weights: LayerNormWeights, eps = LAYER_NORM_EPS): Tensor {
  checkResidualLayerNorm('residualLayerNorm', x, z, weights, eps);
  return residualLayerNormUnchecked(x, z, weights, eps);
}

/** `residualLayerNorm` on arguments a composite has already checked. */
export function residualLayerNormUnchecked(x: Tensor, z: Tensor, weights: LayerNormWeights, eps: number): Tensor {
  return withLabel('residualLayerNorm', () => layerNorm(add(x, z), weights.gamma, weights.beta, eps));
}

function checkResidualLayerNorm(fn: string, x: unknown, z: unknown, weights: unknown, eps: unknown): void {
  const input = checkTensor(fn, 'x', x);
  const update = checkTensor(fn, 'z', z);
  checkMinRank(fn, 'x', input, 1, '[..., d]');
  if (!shapesEqual(input.shape, update.shape)) {
    throw rangeError(
      fn,
      `x ${formatShape(input.shape)} and z ${formatShape(update.shape)} must have the same shape for the residual X + Z`,
    );
  }
  checkWeightsObject(fn, weights, '{ gamma, beta }');
  const { gamma, beta } = weights as LayerNormWeights;
  checkAffine(fn, gamma, beta, input.shape[input.rank - 1], input);
  checkEps(fn, eps);
}

/**
 * Hand-derived backward of stage 5: the gradients of x, z, γ and β given dY. N and rstd are
 * recomputed from x + z.
 *
 * @example
 * const { x: dX, gamma: dGamma } = residualLayerNormBackward(x, z, { gamma, beta }, LAYER_NORM_EPS, dY);
 */
export function residualLayerNormBackward(
  x: Tensor,
  z: Tensor,
  weights: LayerNormWeights,
  eps: number,
  dY: Tensor,
): { x: Tensor; z: Tensor; gamma: Tensor; beta: Tensor } {
  return noGrad(() => {
    const h = add(x, z);
    const centered = sub(h, mean(h, -1, true));
    const rstd = div(tensor(1, { dtype: h.dtype }), sqrt(add(mean(mul(centered, centered), -1, true), eps)));
    const n = mul(centered, rstd);
    const dN = mul(dY, weights.gamma);
    const dH = mul(rstd, sub(sub(dN, mean(dN, -1, true)), mul(n, mean(mul(dN, n), -1, true))));
    return { x: dH, z: dH, gamma: sum(rowsOf(mul(dY, n)), 0), beta: sum(rowsOf(dY), 0) };
  });
}
