import { type DType, DEFAULT_DTYPE, formatShape, rangeError, type Rng, type Tensor, typeError, withLabel, zeros } from '@attograd/tensor';
import { slice } from '@attograd/ops';
import {
  attentionWeights,
  headMask,
  mergeHeads,
  scaleScores,
  scores,
  splitHeads,
  weightedSum,
  type MaskOptions,
} from '@attograd/attention';
import { checkFeatures, checkInteger, checkOptions } from './checks';
import { constant, xavierUniform } from './init';
import { Linear, linear } from './linear';
import { Module } from './module';
import { generatorFor } from './layer-generator';

/**
 * Multi-head self-attention with PyTorch's `nn.MultiheadAttention` parameters:
 *   [Q | K | V] = x·W_inᵀ + b_in        W_in = in_proj_weight: [3d, d], b_in = in_proj_bias: [3d]
 *   head h takes columns h·d_k … (h+1)·d_k − 1 of Q, K and V (d_k = d/H)
 *   Z_h = softmax(mask(Q_h·K_hᵀ/√d_k))·V_h            (the stages of @attograd/attention)
 *   out = concat_h(Z_h)·W_oᵀ + b_o                     out_proj.weight: [d, d], out_proj.bias: [d]
 * The state dict names are PyTorch's, so a state dict of `nn.MultiheadAttention(d, H,
 * batch_first=True)` loads unchanged (and the other way round).
 *
 * Masks follow @attograd/attention: **nonzero = may attend** (PyTorch's `scaled_dot_product_attention`
 * convention; `nn.MultiheadAttention`'s boolean `attn_mask` means the opposite, True = blocked).
 */

/** Options of `MultiHeadAttention`. */
export interface MultiHeadAttentionOptions {
  /** Biases b_in and b_o. Default true. */
  bias?: boolean;
  dtype?: DType;
  /** The generator of the initial values. */
  rng?: Rng;
}

/**
 * @example
 * const attention = new MultiHeadAttention(8, 2, { rng: rng(0) });
 * attention.forward(randn([3, 5, 8]), { causal: true }) // shape [3, 5, 8]
 */
export class MultiHeadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  /** W_in = [W_q; W_k; W_v]: [3d, d]. */
  readonly inProjWeight: Tensor;
  /** b_in: [3d], or null. */
  readonly inProjBias: Tensor | null;
  /** The output projection (W_o: [d, d], b_o: [d]). */
  readonly outProj: Linear;

  constructor(embedDim: number, numHeads: number, options: MultiHeadAttentionOptions = {}) {
    super();
    const fn = 'MultiHeadAttention';
    checkOptions(fn, options);
    this.embedDim = checkInteger(fn, 'embedDim', embedDim, 1);
    this.numHeads = checkInteger(fn, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0)
      throw rangeError(fn, `numHeads (${numHeads}) must divide embedDim (${embedDim}): each head takes embedDim/numHeads columns`);
    this.headDim = embedDim / numHeads;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const random = generatorFor(fn, options.rng);
    const bias = options.bias ?? true;
    // PyTorch's initialisation: Xavier-uniform W_in, zero biases, W_o as a Linear layer.
    this.inProjWeight = this.addParameter('in_proj_weight', xavierUniform(zeros([3 * embedDim, embedDim], { dtype }), { rng: random }));
    this.inProjBias = bias ? this.addParameter('in_proj_bias', zeros([3 * embedDim], { dtype })) : null;
    this.outProj = this.addModule('out_proj', new Linear(embedDim, embedDim, { bias, dtype, rng: random }));
    if (this.outProj.bias !== null) constant(this.outProj.bias, 0);
  }

  /**
   * Self-attention over x: [..., T, d] → [..., T, d].
   *
   * @param options `causal` (query i sees keys j ≤ i); `mask` broadcastable to [..., T, T] (shared by
   * the heads) or, with one more axis than x, to [..., H, T, T]; nonzero = may attend.
   */
  forward(x: Tensor, options: MaskOptions = {}): Tensor {
    const fn = 'MultiHeadAttention.forward';
    checkFeatures(fn, x, this.embedDim, this.inProjWeight.dtype, 'embedDim');
    if (x.rank < 2) throw rangeError(fn, `x must have shape [..., T, ${this.embedDim}], got ${formatShape(x.shape)}`);
    checkOptions(fn, options);
    if (options.causal !== undefined && typeof options.causal !== 'boolean') throw typeError(fn, `causal must be a boolean`);
    const mask = headMask(x, options.mask, fn);
    const d = this.embedDim;
    const [q, k, v] = withLabel('projection', () => {
      const qkv = linear(x, this.inProjWeight, this.inProjBias);
      return [0, 1, 2].map((i) => splitHeads(slice(qkv, -1, i * d, (i + 1) * d), this.numHeads));
    });
    const p = attentionWeights(scaleScores(scores(q, k), this.headDim), { causal: options.causal, mask });
    const z = withLabel('mergeHeads', () => mergeHeads(weightedSum(p, v)));
    return withLabel('outputProjection', () => this.outProj.forward(z));
  }
}
