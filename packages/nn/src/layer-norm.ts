import { type DType, DEFAULT_DTYPE, ones, type Tensor, zeros } from '@attograd/tensor';
import { LAYER_NORM_EPS, layerNorm } from '@attograd/ops';
import { checkFeatures, checkInteger, checkOptions } from './checks';
import { Module } from './module';

/**
 * Layer normalisation over the last axis, as PyTorch's `nn.LayerNorm(d)`:
 *   y = γ ⊙ (x − μ)/√(σ² + ε) + β, μ and σ² (biased) over the last axis.
 * Parameters `weight` (γ, ones) and `bias` (β, zeros), both [d]; the op `layerNorm` of
 * @attograd/ops carries the derivation and the gradient rule.
 */

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** ε added to the variance. Default `LAYER_NORM_EPS` (1e-5, PyTorch's). */
  eps?: number;
  /** Learn γ and β. Default true; false normalises only. */
  elementwiseAffine?: boolean;
  /** Learn β (with `elementwiseAffine`). Default true. */
  bias?: boolean;
  dtype?: DType;
}

/**
 * @example
 * new LayerNorm(8).forward(randn([2, 8])) // each row: mean 0, variance ≈ 1
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number;
  readonly eps: number;
  /** γ: [d], or null without affine parameters. */
  readonly weight: Tensor | null;
  /** β: [d], or null. */
  readonly bias: Tensor | null;
  readonly #dtype: DType;

  constructor(normalizedShape: number, options: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', options);
    this.normalizedShape = checkInteger('LayerNorm', 'normalizedShape', normalizedShape, 1);
    this.eps = options.eps ?? LAYER_NORM_EPS;
    this.#dtype = options.dtype ?? DEFAULT_DTYPE;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? this.addParameter('weight', ones([normalizedShape], { dtype: this.#dtype })) : null;
    this.bias = affine && options.bias !== false ? this.addParameter('bias', zeros([normalizedShape], { dtype: this.#dtype })) : null;
  }

  /** The normalised x: [..., d] → [..., d]. */
  forward(x: Tensor): Tensor {
    checkFeatures('LayerNorm.forward', x, this.normalizedShape, this.#dtype, 'the normalised size');
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
