import { LAYER_NORM_EPS } from '@attograd/ops';
import { formatShape, noGrad, rangeError, type Tensor } from '@attograd/tensor';
import { checkAffine, checkEps } from './checks';
import { attentionWeightsBackward, attentionWeightsUnchecked } from './attention-weights';
import { checkMaskOptions, type MaskOptions } from './mask';
import { checkProjection, projectBackward, projectUnchecked, type ProjectionWeights, type Projections } from './projection';
import { residualLayerNormUnchecked, type LayerNormWeights } from './residual-layer-norm';
import { scaleScoresBackward, scaleScoresUnchecked } from './scaling';
import { scoresBackward, scoresUnchecked } from './scores';
import { weightedSumBackward, weightedSumUnchecked } from './weighted-sum';

/**
 * Self-attention, stages 0–4 composed:
 *   Q, K, V = X·W_q, X·W_k, X·W_v;  S = Q·Kᵀ;  Ŝ = S/√d_k;  P = softmax_row(Ŝ masked);  Z = P·V.
 * X: [..., T, d] → Z: [..., T, d_v]. No gradient code of its own: autograd runs through the stages.
 */

/** Masking options of self-attention (see `MaskOptions`). */
export type SelfAttentionOptions = MaskOptions;

/** The projection weights, plus γ and β when the trace should include stage 5. */
export interface TraceWeights extends ProjectionWeights {
  /** γ of the layer norm, [d]: give it with β to trace stage 5. */
  gamma?: Tensor;
  /** β of the layer norm, [d]: give it with γ to trace stage 5. */
  beta?: Tensor;
}

/** Masking options, plus the layer norm's ε (default `LAYER_NORM_EPS`, 1e-5). */
export interface TraceOptions extends MaskOptions {
  /** ε of the layer norm (stage 5). Default `LAYER_NORM_EPS` (1e-5). */
  eps?: number;
}

/** Every intermediate of one self-attention pass, named as in the formulas. */
export interface SelfAttentionTrace extends Projections {
  /** S = Q·Kᵀ: [..., T, T]. */
  s: Tensor;
  /** Ŝ = S/√d_k. */
  sHat: Tensor;
  /** P = softmax(Ŝ masked), the attention weights. */
  p: Tensor;
  /** Z = P·V: [..., T, d_v]. */
  z: Tensor;
  /** Y = LayerNorm(X + Z), present when γ and β were given. */
  y?: Tensor;
}

/** Checks x, the weights and the mask for self-attention; returns d_k. */
export function checkSelfAttention(fn: string, x: Tensor, weights: ProjectionWeights, options: MaskOptions | undefined): number {
  const { dK } = checkProjection(fn, x, weights);
  if (weights.wk.shape[1] !== dK) {
    throw rangeError(
      fn,
      `wq ${formatShape(weights.wq.shape)} and wk ${formatShape(weights.wk.shape)} must have the same number of columns d_k (queries and keys are compared by a dot product)`,
    );
  }
  const t = x.shape[x.rank - 2];
  checkMaskOptions(fn, options, [...x.shape.slice(0, -1), t]);
  return dK;
}

/** Stages 0–4, on arguments already checked. */
export function runStages(x: Tensor, weights: ProjectionWeights, options: MaskOptions, keyDim: number): SelfAttentionTrace {
  // Validated once, by the composite: the stages run without checking again.
  const { q, k, v } = projectUnchecked(x, weights);
  const s = scoresUnchecked(q, k);
  const sHat = scaleScoresUnchecked(s, keyDim);
  const p = attentionWeightsUnchecked(sHat, options);
  return { q, k, v, s, sHat, p, z: weightedSumUnchecked(p, v) };
}

/**
 * Single-head self-attention, Z = softmax(Q·Kᵀ/√d_k)·V with Q = X·W_q, K = X·W_k, V = X·W_v.
 *
 * @param x [..., T, d] (any number of batch axes)
 * @param weights W_q, W_k: [d, d_k]; W_v: [d, d_v]
 * @param options `causal` and/or `mask` (nonzero = may attend, broadcastable to [..., T, T]);
 * a query allowed to see no key gets a zero output row and zero gradients.
 * @throws TypeError for a non-Tensor argument; RangeError for weights that do not fit x, W_q and
 * W_k with different column counts, or a mask that does not broadcast to [..., T, T].
 * @example
 * const z = selfAttention(x, { wq, wk, wv }, { causal: true }); // x: [2, 3, 4] → z: [2, 3, 4]
 */
export function selfAttention(x: Tensor, weights: ProjectionWeights, options: SelfAttentionOptions = {}): Tensor {
  const keyDim = checkSelfAttention('selfAttention', x, weights, options);
  return runStages(x, weights, options, keyDim).z;
}

/**
 * Self-attention returning every intermediate — Q, K, V, S, Ŝ, P, Z and, when `gamma` and `beta`
 * are given, Y = LayerNorm(X + Z) — so each can be printed or differentiated:
 * `gradients(trace.z, [trace.p], { gradOutput })` is dZ/dP contracted with the cotangent. The
 * intermediates are part of one graph: pass `retainGraph: true` to differentiate it more than
 * once, and let x or a weight require gradients so that the intermediates do too.
 *
 * @throws as `selfAttention`, and RangeError when only one of γ, β is given, they are not [d],
 * or W_v is not [d, d] (the residual X + Z needs Z shaped like X).
 * @example
 * const { s, p, y } = traceSelfAttention(x, { wq, wk, wv, gamma, beta });
 */
export function traceSelfAttention(x: Tensor, weights: TraceWeights, options: TraceOptions = {}): SelfAttentionTrace {
  const fn = 'traceSelfAttention';
  const keyDim = checkSelfAttention(fn, x, weights, options);
  const withNorm = weights.gamma !== undefined || weights.beta !== undefined;
  if (withNorm) checkResidual(fn, x, weights, options.eps ?? LAYER_NORM_EPS);
  const trace = runStages(x, weights, options, keyDim);
  if (withNorm) trace.y = residualLayerNormUnchecked(x, trace.z, weights as LayerNormWeights, options.eps ?? LAYER_NORM_EPS);
  return trace;
}

/** The residual X + Z needs Z shaped like X: W_v must be [d, d]; γ and β [d]. */
export function checkResidual(fn: string, x: Tensor, weights: ProjectionWeights & Partial<LayerNormWeights>, eps: unknown): void {
  const d = x.shape[x.rank - 1];
  if (weights.wv.shape[1] !== d) {
    throw rangeError(
      fn,
      `wv must have shape [${d}, ${d}] so that Z = P·V has x's shape ${formatShape(x.shape)} for the residual X + Z, got ${formatShape(weights.wv.shape)}`,
    );
  }
  checkAffine(fn, weights.gamma, weights.beta, d, x);
  checkEps(fn, eps);
}

/**
 * Hand-derived backward of stages 1–4 from a trace: dQ, dK, dV given dZ, by chaining
 * dP = dZ·Vᵀ, dV = Pᵀ·dZ;  dŜ = P ⊙ (dP − rowsum(dP ⊙ P));  dS = dŜ/√d_k;  dQ = dS·K, dK = dSᵀ·Q.
 */
export function attentionCoreBackward(trace: SelfAttentionTrace, keyDim: number, dZ: Tensor): Projections {
  const { p: dP, v: dV } = weightedSumBackward(trace.p, trace.v, dZ);
  const { sHat: dSHat } = attentionWeightsBackward(trace.p, dP);
  const { s: dS } = scaleScoresBackward(keyDim, dSHat);
  const { q: dQ, k: dK } = scoresBackward(trace.q, trace.k, dS);
  return { q: dQ, k: dK, v: dV };
}

/**
 * Hand-derived backward of `selfAttention` (no autograd): the gradients of x and of each weight
 * for the cotangent dZ. dX collects three paths, one through each of Q, K and V:
 * dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ.
 *
 * @example
 * const { x: dX, wq: dWq } = selfAttentionBackward(x, { wq, wk, wv }, {}, dZ);
 */
export function selfAttentionBackward(
  x: Tensor,
  weights: ProjectionWeights,
  options: SelfAttentionOptions,
  dZ: Tensor,
): { x: Tensor; wq: Tensor; wk: Tensor; wv: Tensor } {
  const keyDim = checkSelfAttention('selfAttentionBackward', x, weights, options);
  return noGrad(() => {
    const trace = runStages(x, weights, options, keyDim);
    return projectBackward(x, weights, attentionCoreBackward(trace, keyDim, dZ));
  });
}
