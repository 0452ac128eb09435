import { type DType, DEFAULT_DTYPE, formatShape, noGrad, rangeError, type Rng, Tensor, typeError } from '@attograd/tensor';
import { add, crossEntropy, reshape, slice } from '@attograd/ops';
import { checkInteger, checkOptions, checkAnyTensor } from './checks';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import type { Activation } from './feed-forward';
import { constant, normal } from './init';
import { LayerNorm } from './layer-norm';
import { Linear, linear } from './linear';
import { Module, ModuleList } from './module';
import { generatorFor } from './layer-generator';
import { sampleLogits, type SampleOptions } from './sampling';
import { TransformerBlock } from './transformer-block';

/**
 * A small decoder-only transformer language model (GPT-2's layout):
 *   x₀ = E[ids] + P[0 … T−1]                 token and position embeddings, then dropout
 *   x_{l+1} = block_l(x_l)                    pre-norm blocks with causal attention
 *   logits = ln_f(x_L)·Hᵀ                      H = E when the head is tied, else its own [V, d]
 *   loss = crossEntropy(logits, targets)      mean over the positions whose target is not ignored
 * Initialised as GPT-2: weights and embeddings from N(0, 0.02²), biases 0, and the two
 * projections that write into the residual stream (attention output, MLP fc2) scaled down by
 * 1/√(2·layers) so that the residual stream's variance does not grow with depth.
 */

/** The size and options of a `GPT`. */
export interface GPTConfig {
  vocabSize: number;
  /** The longest context: the number of position embeddings. */
  blockSize: number;
  /** The width d of the residual stream. */
  dModel: number;
  heads: number;
  layers: number;
  /** The MLP's hidden width. Default 4·d. */
  hidden?: number;
  activation?: Activation;
  /** Dropout on the embeddings and both residual branches. Default 0. */
  dropout?: number;
  /** Use the token embedding as the output head (H = E). Default false. */
  tiedHead?: boolean;
  /** Biases in the linear maps of the blocks. Default true. */
  bias?: boolean;
  /** Standard deviation of the initial weights. Default 0.02. */
  initStd?: number;
  dtype?: DType;
  rng?: Rng;
}

/** What `GPT.forward` returns. */
export interface GPTOutput {
  /** [..., T, V]. */
  logits: Tensor;
  /** The mean cross-entropy over counted positions, when targets were given; else null. */
  loss: Tensor | null;
}

/**
 * @example
 * const model = new GPT({ vocabSize: 10, blockSize: 8, dModel: 16, heads: 2, layers: 2, rng: rng(0) });
 * const { logits, loss } = model.forward(ids, targets); // ids, targets: int32 [B, T]
 */
export class GPT extends Module {
  readonly config: Readonly<Required<Omit<GPTConfig, 'rng'>>>;
  readonly tokenEmbedding: Embedding;
  readonly positionEmbedding: Embedding;
  readonly dropout: Dropout;
  readonly blocks: ModuleList<TransformerBlock>;
  readonly finalNorm: LayerNorm;
  /** The output head, or null when it is tied to the token embedding. */
  readonly head: Linear | null;

  constructor(config: GPTConfig) {
    super();
    const fn = 'GPT';
    checkOptions(fn, config);
    if (config === undefined) throw typeError(fn, 'a config { vocabSize, blockSize, dModel, heads, layers } is required');
    for (const key of ['vocabSize', 'blockSize', 'dModel', 'heads', 'layers'] as const) checkInteger(fn, `config.${key}`, config[key], 1);
    const { vocabSize, blockSize, dModel, heads, layers } = config;
    this.config = {
      vocabSize,
      blockSize,
      dModel,
      heads,
      layers,
      hidden: config.hidden ?? 4 * dModel,
      activation: config.activation ?? 'gelu',
      dropout: config.dropout ?? 0,
      tiedHead: config.tiedHead ?? false,
      bias: config.bias ?? true,
      initStd: config.initStd ?? 0.02,
      dtype: config.dtype ?? DEFAULT_DTYPE,
    };
    const { hidden, activation, dropout, bias, dtype, initStd } = this.config;
    const random = generatorFor(fn, config.rng);
    this.tokenEmbedding = this.addModule('tokenEmbedding', new Embedding(vocabSize, dModel, { dtype, rng: random }));
    this.positionEmbedding = this.addModule('positionEmbedding', new Embedding(blockSize, dModel, { dtype, rng: random }));
    this.dropout = this.addModule('dropout', new Dropout(dropout, { rng: random }));
    const blockOptions = { hidden, activation, dropout, bias, dtype, rng: random };
    this.blocks = this.addModule(
      'blocks',
      new ModuleList(Array.from({ length: layers }, () => new TransformerBlock(dModel, heads, blockOptions))),
    );
    this.finalNorm = this.addModule('finalNorm', new LayerNorm(dModel, { dtype }));
    this.head = this.config.tiedHead ? null : this.addModule('head', new Linear(dModel, vocabSize, { bias: false, dtype, rng: random }));
    this.#initialise(initStd, random);
  }

  /** GPT-2's initialisation (see the file header). */
  #initialise(std: number, random: Rng): void {
    const residualStd = std / Math.sqrt(2 * this.config.layers);
    for (const [name, p] of this.namedParameters()) {
      if (/(^|\.)ln\d\.|finalNorm\./.test(name)) continue; // layer norms keep γ = 1, β = 0
      if (p.rank === 1) constant(p, 0);
      else normal(p, { std: /(out_proj|fc2)\.weight$/.test(name) ? residualStd : std, rng: random });
    }
  }

  /**
   * Logits for int32 ids [B, T] (or [T]) with T ≤ blockSize, and the loss when int32 targets of
   * the same shape are given (positions whose target is `ignoreIndex`, default −100, do not count).
   */
  forward(ids: Tensor, targets?: Tensor | null, options: { ignoreIndex?: number } = {}): GPTOutput {
    const fn = 'GPT.forward';
    checkIds(fn, 'ids', ids);
    const length = ids.shape[ids.rank - 1];
    if (length > this.config.blockSize) {
      throw rangeError(
        fn,
        `ids has ${length} positions (shape ${formatShape(ids.shape)}) but the model's blockSize is ${this.config.blockSize}`,
      );
    }
    const tokens = this.tokenEmbedding.forward(ids);
    const positions = slice(this.positionEmbedding.weight, 0, 0, length);
    // E[ids] + P, P broadcast over the batch.
    let x = this.dropout.forward(add(tokens, positions));
    for (const block of this.blocks) x = block.forward(x, { causal: true });
    const normed = this.finalNorm.forward(x);
    const logits = this.head === null ? linear(normed, this.tokenEmbedding.weight, null) : this.head.forward(normed);
    if (targets === undefined || targets === null) return { logits, loss: null };
    checkIds(fn, 'targets', targets);
    if (targets.shape.length !== ids.shape.length || targets.shape.some((dim, i) => dim !== ids.shape[i])) {
      throw rangeError(fn, `targets must have the shape of ids ${formatShape(ids.shape)}, got ${formatShape(targets.shape)}`);
    }
    return { logits, loss: crossEntropy(logits, targets, { ignoreIndex: options.ignoreIndex ?? -100 }) };
  }

  /**
   * Continues each row of ids [B, T] (or [T]) by `maxNewTokens` tokens, feeding the model its own
   * draws (the context cropped to the last blockSize tokens). Runs without recording a graph; call
   * `eval()` first when the model has dropout.
   *
   * @example
   * model.eval().generate(prompt, 20, { temperature: 0.8, topK: 5, rng: rng(1) })
   */
  generate(ids: Tensor, maxNewTokens: number, options: SampleOptions = {}): Tensor {
    const fn = 'GPT.generate';
    checkIds(fn, 'ids', ids);
    checkInteger(fn, 'maxNewTokens', maxNewTokens, 0);
    const rows = ids.rank === 2 ? ids.shape[0] : 1;
    const sequences = Array.from({ length: rows }, (_, row) =>
      Array.from(ids.data.subarray(row * ids.shape[ids.rank - 1], (row + 1) * ids.shape[ids.rank - 1])),
    );
    noGrad(() => {
      for (let step = 0; step < maxNewTokens; step++) {
        const context = sequences.map((seq) => seq.slice(-this.config.blockSize));
        const length = context[0].length;
        const input = new Tensor(Int32Array.from(context.flat()), [rows, length]);
        const { logits } = this.forward(input);
        const last = reshape(slice(logits, 1, length - 1, length), [rows, this.config.vocabSize]);
        const next = sampleLogits(last, options);
        sequences.forEach((seq, row) => seq.push(next.data[row]));
      }
    });
    const length = sequences[0].length;
    return new Tensor(Int32Array.from(sequences.flat()), ids.rank === 2 ? [rows, length] : [length]);
  }
}

function checkIds(fn: string, name: string, value: unknown): Tensor {
  const ids = checkAnyTensor(fn, name, value);
  if (ids.dtype !== 'int32')
    throw typeError(fn, `${name} must be an int32 tensor of token ids, got ${ids.dtype} of shape ${formatShape(ids.shape)}`);
  if (ids.rank !== 1 && ids.rank !== 2) throw rangeError(fn, `${name} must have shape [T] or [B, T], got ${formatShape(ids.shape)}`);
  if (ids.shape[ids.rank - 1] === 0) throw rangeError(fn, `${name} must hold at least one position, got shape ${formatShape(ids.shape)}`);
  return ids;
}
