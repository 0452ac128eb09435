import {
  checkAnyTensor,
  checkMinRank,
  describe,
  formatShape,
  noGrad,
  rangeError,
  type Tensor,
  typeError,
  withLabel,
} from '@attograd/tensor';
import { matmul, matmulTransposed, permute, reshape } from '@attograd/ops';
import { checkOptions, checkShapeIs, checkWeight } from './checks';
import { checkMask, type MaskOptions } from './mask';
import { checkProjection, projectBackward, projectUnchecked, type ProjectionWeights } from './projection';
import { attentionCoreBackward, type SelfAttentionTrace } from './self-attention';
import { attentionWeightsUnchecked } from './attention-weights';
import { scaleScoresUnchecked } from './scaling';
import { scoresUnchecked } from './scores';
import { weightedSumUnchecked } from './weighted-sum';
import { weightGradient } from './hand-kernels';

/**
 * Multi-head attention: H heads side by side, then an output projection.
 *   Q, K, V = X·W_q, X·W_k, X·W_v  ([..., T, d]);  head h uses columns h d_k … (h+1) d_k − 1,
 *   d_k = d/n_h (PyTorch's view(B, T, n_h, d_k) layout);  Z_h = softmax(Q_h·K_hᵀ/√d_k)·V_h;
 *   out = concat_h(Z_h)·W_o.
 * The n_h heads are an extra batch axis ([..., n_h, T, d_k], by reshape and permute), not a loop.
 * Backward of the output projection: dW_o = Σ_batch concat_h(Z_h)ᵀ·dOut, and dOut·W_oᵀ split into
 * the heads' dZ_h.
 */

/** W_q, W_k, W_v: [d, d]; W_o: [d, d_out] (usually [d, d]). */
export interface MultiHeadWeights extends ProjectionWeights {
  /** W_o, the output projection applied to the concatenated heads: [d, d_out]. */
  wo: Tensor;
}

/** The number of heads (must divide d) and the masking options. */
export interface MultiHeadOptions extends MaskOptions {
  /** The number of heads H; d_k = d/H. */
  heads: number;
}

/**
 * [..., T, H·d_k] → [..., H, T, d_k]: the columns of head h become batch entry h.
 *
 * @example
 * splitHeads(randn([3, 4]), 2) // shape [2, 3, 2]
 */
export function splitHeads(t: Tensor, heads: number): Tensor {
  const batch = t.shape.slice(0, -2);
  const [length, width] = t.shape.slice(-2);
  const split = reshape(t, [...batch, length, heads, width / heads]);
  return permute(split, [...batch.map((_, i) => i), batch.length + 1, batch.length, batch.length + 2]);
}

/**
 * [..., H, T, d_k] → [..., T, H·d_k]: the inverse of `splitHeads` (heads concatenated).
 *
 * @example
 * mergeHeads(randn([2, 3, 2])) // shape [3, 4]
 */
export function mergeHeads(t: Tensor): Tensor {
  const batch = t.shape.slice(0, -3);
  const [heads, length, width] = t.shape.slice(-3);
  const merged = permute(t, [...batch.map((_, i) => i), batch.length + 1, batch.length, batch.length + 2]);
  return reshape(merged, [...batch, length, heads * width]);
}

/** Checks every argument; returns the number of heads and d_k. */
function checkMultiHead(fn: string, x: Tensor, weights: MultiHeadWeights, options: MultiHeadOptions): { heads: number; headDim: number } {
  checkProjection(fn, x, weights);
  const d = x.shape[x.rank - 1];
  checkOptions(fn, 'options', options);
  const heads = options?.heads;
  if (typeof heads !== 'number' || !Number.isInteger(heads))
    throw typeError(fn, `options.heads must be an integer, got ${describe(heads)}`);
  if (heads < 1 || d % heads !== 0) {
    throw rangeError(
      fn,
      `heads (${heads}) must be a positive divisor of d = ${d} (x has shape ${formatShape(x.shape)}); each head takes d/heads columns`,
    );
  }
  for (const name of ['wq', 'wk', 'wv'] as const) checkShapeIs(fn, name, weights[name], [d, d], `(d = ${d}, all heads side by side)`);
  checkWeight(fn, 'wo', weights.wo, x);
  if (options.causal !== undefined && typeof options.causal !== 'boolean')
    throw typeError(fn, `causal must be a boolean, got ${describe(options.causal)}`);
  if (options.mask !== undefined && options.mask !== null) checkMask(fn, options.mask, maskTarget(x, heads, options.mask.rank));
  return { heads, headDim: d / heads };
}

/** A mask with more axes than x has one per head ([..., H, T, T]); otherwise all heads share it. */
function maskTarget(x: Tensor, heads: number, maskRank: number): number[] {
  const t = x.shape[x.rank - 2];
  const batch = x.shape.slice(0, -2);
  return maskRank > x.rank ? [...batch, heads, t, t] : [...batch, t, t];
}

/**
 * The mask as the per-head scores [..., H, T, T] of x [..., T, d] need it: a mask with more axes
 * than x is one per head ([..., H, T, T]) and is returned as it is; a mask shared by the heads
 * with batch axes ([B, T, T]) gets a head axis of size 1 ([B, 1, T, T]) so it broadcasts over the
 * heads instead of against them; a [T, T] mask broadcasts as it is. null or undefined gives null.
 * The mask is a constant: the reshape is not recorded. What `multiHeadAttention` and
 * `MultiHeadAttention` (@attograd/nn) do with their `mask` option.
 *
 * @param fn the function named in errors (default `'headMask'`)
 * @throws TypeError when x or mask is not a Tensor; RangeError when x has fewer than 2 axes or the
 * mask has more than x.rank + 1 axes.
 * @example
 * headMask(randn([2, 5, 8]), ones([2, 5, 5]))?.shape // [2, 1, 5, 5]
 */
export function headMask(x: Tensor, mask: Tensor | null | undefined, fn = 'headMask'): Tensor | null {
  checkAnyTensor(fn, 'x', x);
  checkMinRank(fn, 'x', x, 2, '[..., T, d]');
  if (mask === undefined || mask === null) return null;
  checkAnyTensor(fn, 'mask', mask);
  if (mask.rank > x.rank + 1) {
    throw rangeError(
      fn,
      `mask of shape ${formatShape(mask.shape)} has too many axes for x ${formatShape(x.shape)} ([..., H, T, T] at most: one axis more than x)`,
    );
  }
  if (mask.rank > x.rank || mask.rank <= 2) return mask;
  return noGrad(() => reshape(mask, [...mask.shape.slice(0, -2), 1, ...mask.shape.slice(-2)]));
}

/** Every named value of one multi-head forward pass, as `traceMultiHeadAttention` returns it. */
export interface MultiHeadTrace {
  /** Q before the head split: [..., T, d]. */
  q: Tensor;
  /** K before the head split: [..., T, d]. */
  k: Tensor;
  /** V before the head split: [..., T, d]. */
  v: Tensor;
  /** The per-head stages' values: q, k, v, z are Q_heads, K_heads, V_heads, Z_heads ([..., n_h, T, d_k]). */
  heads: SelfAttentionTrace;
  /** concat_h(Z_h): [..., T, d]. */
  z: Tensor;
  /** concat_h(Z_h)·W_o: [..., T, d_out]. */
  out: Tensor;
}

/**
 * The output projection of multi-head attention: the heads merged (concat_h) and multiplied by
 * W_o, out = concat_h(Z_h)·W_o; every op it records is labelled 'outputProjection' (the stage's key).
 *
 * @param zHeads [..., n_h, T, d_k]
 * @param wo [n_h·d_k, d_out]
 * @example
 * outputProjection(randn([2, 3, 2]), randn([4, 4])) // shape [3, 4]
 */
export function outputProjection(zHeads: Tensor, wo: Tensor): { z: Tensor; out: Tensor } {
  return withLabel('outputProjection', () => {
    const z = mergeHeads(zHeads);
    return { z, out: matmul(z, wo) };
  });
}

/**
 * Hand-derived backward of `outputProjection` (no autograd): dW_o = Σ_batch concat_h(Z_h)ᵀ·dOut;
 * d concat_h(Z_h) = dOut·W_oᵀ, split into the heads: dZ_heads = split_h(dOut·W_oᵀ).
 *
 * @example
 * const { zHeads: dZHeads, wo: dWo } = outputProjectionBackward(zHeads, wo, dOut);
 */
export function outputProjectionBackward(zHeads: Tensor, wo: Tensor, dOut: Tensor): { zHeads: Tensor; wo: Tensor } {
  const heads = zHeads.shape[zHeads.rank - 3];
  return noGrad(() => ({
    zHeads: splitHeads(matmulTransposed(dOut, wo, false, true), heads),
    wo: weightGradient(mergeHeads(zHeads), dOut),
  }));
}

function runMultiHead(x: Tensor, weights: MultiHeadWeights, options: MultiHeadOptions, heads: number, headDim: number): MultiHeadTrace {
  // Validated once, by multiHeadAttention: the stages run without checking again.
  const projected = projectUnchecked(x, weights);
  const [q, k, v] = withLabel('splitHeads', () => [projected.q, projected.k, projected.v].map((t) => splitHeads(t, heads)));
  const s = scoresUnchecked(q, k);
  const sHat = scaleScoresUnchecked(s, headDim);
  const p = attentionWeightsUnchecked(sHat, { causal: options.causal, mask: headMask(x, options.mask, 'multiHeadAttention') });
  const zHeads = weightedSumUnchecked(p, v);
  const { z, out } = outputProjection(zHeads, weights.wo);
  return { ...projected, heads: { q, k, v, s, sHat, p, z: zHeads }, z, out };
}

/**
 * Multi-head self-attention as PyTorch's `nn.MultiheadAttention` without biases, in the x @ W
 * convention. Ops are labelled with their stage; the head split, head merge and output
 * projection are labelled `'splitHeads'` and `'outputProjection'` (the merge is part of the output projection stage).
 *
 * @param x [..., T, d]
 * @param weights W_q, W_k, W_v: [d, d]; W_o: [d, d_out]
 * @param options `heads` (must divide d); `causal`; `mask` broadcastable to [..., T, T] (shared by
 * the heads) or, with one more axis than x, to [..., H, T, T] (one per head). Nonzero = may attend.
 * @throws TypeError for a non-Tensor argument or a missing `heads`; RangeError when heads does
 * not divide d, a weight has the wrong shape, or the mask does not broadcast.
 * @example
 * const out = multiHeadAttention(x, { wq, wk, wv, wo }, { heads: 2 }); // x: [2, 3, 4] → [2, 3, 4]
 */
export function multiHeadAttention(x: Tensor, weights: MultiHeadWeights, options: MultiHeadOptions): Tensor {
  const { heads, headDim } = checkMultiHead('multiHeadAttention', x, weights, options);
  return runMultiHead(x, weights, options, heads, headDim).out;
}

/**
 * `multiHeadAttention` with every named value kept (recorded with autograd): Q, K, V before the
 * split, the per-head Q_heads … Z_heads, concat_h(Z_h) and out. `explain` reads its example from this.
 *
 * @example
 * const { heads: { p }, out } = traceMultiHeadAttention(x, { wq, wk, wv, wo }, { heads: 2 });
 */
export function traceMultiHeadAttention(x: Tensor, weights: MultiHeadWeights, options: MultiHeadOptions): MultiHeadTrace {
  const { heads, headDim } = checkMultiHead('traceMultiHeadAttention', x, weights, options);
  return runMultiHead(x, weights, options, heads, headDim);
}

/**
 * Hand-derived backward of `multiHeadAttention` (no autograd): dW_o = concat(Z)ᵀ·dOut and
 * d concat(Z) = dOut·W_oᵀ, split into heads; each head's stages backward as in
 * `selfAttentionBackward`; the heads' dQ, dK, dV merged back into [..., T, d] columns.
 *
 * @example
 * const { wo: dWo, x: dX } = multiHeadAttentionBackward(x, weights, { heads: 2 }, dOut);
 */
export function multiHeadAttentionBackward(
  x: Tensor,
  weights: MultiHeadWeights,
  options: MultiHeadOptions,
  dOut: Tensor,
): { x: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor } {
  const { heads, headDim } = checkMultiHead('multiHeadAttentionBackward', x, weights, options);
  return noGrad(() => {
    const trace = runMultiHead(x, weights, options, heads, headDim);
    const dOutput = outputProjectionBackward(trace.heads.z, weights.wo, dOut);
    const dHeads = attentionCoreBackward(trace.heads, headDim, dOutput.zHeads);
    const dProjections = { q: mergeHeads(dHeads.q), k: mergeHeads(dHeads.k), v: mergeHeads(dHeads.v) };
    return { ...projectBackward(x, weights, dProjections), wo: dOutput.wo };
  });
}
