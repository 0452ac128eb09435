import { type DType, type Rng, type Tensor, typeError } from '@attograd/tensor';
import { gelu, relu } from '@attograd/ops';
import { checkInteger, checkOptions } from './checks';
import { Dropout } from './dropout';
import { Linear } from './linear';
import { Module } from './module';
import { generatorFor } from './layer-generator';

/**
 * The position-wise MLP of a transformer block:  y = dropout(fc2(act(fc1(x)))),
 *   fc1: [hidden, d] (+ bias), act = GELU (exact erf form by default), fc2: [d, hidden] (+ bias).
 */

/** The activation between the two layers. */
export type Activation = 'gelu' | 'geluTanh' | 'relu';

/** Options of `FeedForward`. */
export interface FeedForwardOptions {
  /** The hidden width. Default 4·d. */
  hidden?: number;
  /** Default 'gelu' (x·Φ(x)); 'geluTanh' is GPT-2's tanh approximation. */
  activation?: Activation;
  /** Dropout after fc2. Default 0. */
  dropout?: number;
  /** Biases in both layers. Default true. */
  bias?: boolean;
  dtype?: DType;
  rng?: Rng;
}

/**
 * @example
 * new FeedForward(8, { rng: rng(0) }).forward(randn([2, 5, 8])) // shape [2, 5, 8]
 */
export class FeedForward extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly dropout: Dropout;
  readonly activation: Activation;

  constructor(d: number, options: FeedForwardOptions = {}) {
    super();
    checkOptions('FeedForward', options);
    checkInteger('FeedForward', 'd', d, 1);
    const hidden = checkInteger('FeedForward', 'hidden', options.hidden ?? 4 * d, 1);
    this.activation = options.activation ?? 'gelu';
    if (!['gelu', 'geluTanh', 'relu'].includes(this.activation)) {
      throw typeError('FeedForward', `activation must be 'gelu', 'geluTanh' or 'relu', got ${String(this.activation)}`);
    }
    const random = generatorFor('FeedForward', options.rng);
    const layer = { bias: options.bias, dtype: options.dtype, rng: random };
    this.fc1 = this.addModule('fc1', new Linear(d, hidden, layer));
    this.fc2 = this.addModule('fc2', new Linear(hidden, d, layer));
    this.dropout = this.addModule('dropout', new Dropout(options.dropout ?? 0, { rng: random }));
  }

  /** x: [..., d] → [..., d]. */
  forward(x: Tensor): Tensor {
    const h = this.fc1.forward(x);
    const a = this.activation === 'relu' ? relu(h) : gelu(h, { approximate: this.activation === 'geluTanh' ? 'tanh' : 'none' });
    return this.dropout.forward(this.fc2.forward(a));
  }
}
