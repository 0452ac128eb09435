import type { DType, Rng, Tensor } from '@attograd/tensor';
import { add } from '@attograd/ops';
import type { MaskOptions } from '@attograd/attention';
import { checkInteger, checkOptions } from './checks';
import { Dropout } from './dropout';
import { type Activation, FeedForward } from './feed-forward';
import { LayerNorm } from './layer-norm';
import { Module } from './module';
import { MultiHeadAttention } from './multi-head-attention';
import { generatorFor } from './layer-generator';

/**
 * A pre-norm transformer block (GPT-2's arrangement):
 *   h = x + dropout(attention(ln1(x)))
 *   y = h + mlp(ln2(h))                  (the MLP applies its own dropout)
 * The residual path carries x unchanged, so gradients reach early layers without passing through
 * a normalisation.
 */

/** Options of `TransformerBlock`. */
export interface TransformerBlockOptions {
  /** The MLP's hidden width. Default 4·d. */
  hidden?: number;
  activation?: Activation;
  /** Dropout on both residual branches. Default 0. */
  dropout?: number;
  /** Biases in every linear map (attention and MLP). Default true. */
  bias?: boolean;
  /** Layer norms' ε. Default `LAYER_NORM_EPS` (1e-5). */
  eps?: number;
  dtype?: DType;
  rng?: Rng;
}

/**
 * @example
 * const block = new TransformerBlock(8, 2, { rng: rng(0) });
 * block.forward(randn([2, 5, 8]), { causal: true }) // shape [2, 5, 8]
 */
export class TransformerBlock extends Module {
  readonly ln1: LayerNorm;
  readonly attention: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly mlp: FeedForward;
  readonly dropout: Dropout;

  constructor(d: number, heads: number, options: TransformerBlockOptions = {}) {
    super();
    checkOptions('TransformerBlock', options);
    checkInteger('TransformerBlock', 'd', d, 1);
    const random = generatorFor('TransformerBlock', options.rng);
    const { dtype, bias, eps } = options;
    this.ln1 = this.addModule('ln1', new LayerNorm(d, { eps, dtype }));
    this.attention = this.addModule('attention', new MultiHeadAttention(d, heads, { bias, dtype, rng: random }));
    this.ln2 = this.addModule('ln2', new LayerNorm(d, { eps, dtype }));
    const { hidden, activation, dropout } = options;
    this.mlp = this.addModule('mlp', new FeedForward(d, { hidden, activation, dropout, bias, dtype, rng: random }));
    this.dropout = this.addModule('dropout', new Dropout(dropout ?? 0, { rng: random }));
  }

  /** x: [..., T, d] → [..., T, d]; `options` are the attention's mask options. */
  forward(x: Tensor, options: MaskOptions = {}): Tensor {
    const h = add(x, this.dropout.forward(this.attention.forward(this.ln1.forward(x), options)));
    return add(h, this.mlp.forward(this.ln2.forward(h)));
  }
}
