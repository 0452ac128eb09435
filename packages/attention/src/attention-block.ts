import { add, LAYER_NORM_EPS } from '@attograd/ops';
import { noGrad, type Tensor } from '@attograd/tensor';
import type { MaskOptions } from './mask';
import { projectBackward, type ProjectionWeights } from './projection';
import { residualLayerNormBackward, residualLayerNormUnchecked, type LayerNormWeights } from './residual-layer-norm';
import { attentionCoreBackward, checkResidual, checkSelfAttention, runStages } from './self-attention';

/**
 * The attention block, stages 0–5 composed (post-norm, as in the original Transformer):
 *   Y = LayerNorm(X + selfAttention(X)) with γ, β over the last axis.
 * X: [..., T, d]; W_q, W_k: [d, d_k]; W_v: [d, d]; γ, β: [d] → Y: [..., T, d].
 */

/** The weights of an attention block: the three projections and the layer norm's γ and β. */
export interface AttentionBlockWeights extends ProjectionWeights, LayerNormWeights {}

/** Masking options and the layer norm's ε (default `LAYER_NORM_EPS`, 1e-5). */
export interface AttentionBlockOptions extends MaskOptions {
  /** ε added to the variance inside the layer norm's square root. Default `LAYER_NORM_EPS` (1e-5); must be > 0. */
  eps?: number;
}

/**
 * One post-norm attention block: Y = LayerNorm(X + selfAttention(X)).
 *
 * @throws TypeError for a non-Tensor argument; RangeError for weights that do not fit x (W_v must
 * be [d, d], γ and β [d]), a mask that does not broadcast to [..., T, T], or eps ≤ 0.
 * @example
 * const y = attentionBlock(x, { wq, wk, wv, gamma: ones([4]), beta: zeros([4]) }, { causal: true });
 */
export function attentionBlock(x: Tensor, weights: AttentionBlockWeights, options: AttentionBlockOptions = {}): Tensor {
  const eps = options.eps ?? LAYER_NORM_EPS;
  const keyDim = checkSelfAttention('attentionBlock', x, weights, options);
  checkResidual('attentionBlock', x, weights, eps);
  const { z } = runStages(x, weights, options, keyDim);
  return residualLayerNormUnchecked(x, z, weights, eps);
}

/**
 * Hand-derived backward of `attentionBlock` (no autograd). X reaches the loss by four paths —
 * through Q, K, V and the residual — so dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ + dH.
 *
 * @example
 * const { x: dX, gamma: dGamma } = attentionBlockBackward(x, weights, {}, dY);
 */
export function attentionBlockBackward(
  x: Tensor,
  weights: AttentionBlockWeights,
  options: AttentionBlockOptions,
  dY: Tensor,
): { x: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; gamma: Tensor; beta: Tensor } {
  const eps = options.eps ?? LAYER_NORM_EPS;
  const keyDim = checkSelfAttention('attentionBlockBackward', x, weights, options);
  checkResidual('attentionBlockBackward', x, weights, eps);
  return noGrad(() => {
    const trace = runStages(x, weights, options, keyDim);
    const norm = residualLayerNormBackward(x, trace.z, weights, eps, dY);
    const projection = projectBackward(x, weights, attentionCoreBackward(trace, keyDim, norm.z));
    return { ...projection, x: add(projection.x, norm.x), gamma: norm.gamma, beta: norm.beta };
  });
}
