import { noGrad, randn, rng, Tensor, tensor } from '@attograd/tensor';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { FeedForward } from './feed-forward';
import { GPT } from './gpt';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import type { Module } from './module';
import { MultiHeadAttention } from './multi-head-attention';
import { TransformerBlock } from './transformer-block';

/**
 * The one table of layer cases (the nn counterpart of `opCases` in @attograd/ops): each layer as a
 * pure function of its tensor inputs — the layer's input (when it is a float tensor) followed by
 * its parameters in `parameters()` order — with seeded inputs. The nn tests run gradcheck,
 * gradgradcheck and jvp over it, and `attograd check all` checks every row. Sizes are fixed and
 * small, so the whole table checks in seconds.
 */
export interface LayerCase {
  /** `Layer` or `Layer/variant` (`Linear/no-bias`); unique in the table. */
  name: string;
  /** The exported class it builds. */
  layer: string;
  /** Fresh seeded case: the layer built with rng(seed), its parameters moved off their initial values, its inputs. */
  build(seed: number): BuiltLayerCase;
}

/** A built case: `fn(...inputs)` is the layer's output; every input is differentiable. */
export interface BuiltLayerCase {
  fn: (...inputs: Tensor[]) => Tensor;
  inputs: Tensor[];
  /** One display name per input: `x`, then the parameter names (`weight`, `attention.in_proj_weight`, …). */
  inputNames: string[];
}

/** Moves every parameter to seeded random values, so that biases are not 0 and γ not 1. */
function scramble(module: Module, seed: number): void {
  const random = rng(seed);
  noGrad(() => {
    for (const p of module.parameters()) p.copy_(randn(p.shape, { rng: random, dtype: p.dtype }));
  });
}

/**
 * The case of a module whose forward takes one float input x: fn(x, ...parameters). With
 * `input: null` the layer's input is a constant closed over (token ids), and only the parameters
 * are inputs.
 */
function moduleCase(module: Module, seed: number, input: number[] | null, forward: (x: Tensor) => Tensor): BuiltLayerCase {
  scramble(module, seed + 1);
  const named = module.namedParameters();
  const parameters = named.map(([, p]) => p);
  if (input === null) {
    const constant = tensor(0);
    return {
      fn: (...params) => module.withParameters(params, () => forward(constant)),
      inputs: parameters,
      inputNames: named.map(([name]) => name),
    };
  }
  const x = randn(input, { rng: rng(seed + 2), requiresGrad: true });
  return {
    fn: (xIn, ...params) => module.withParameters(params, () => forward(xIn)),
    inputs: [x, ...parameters],
    inputNames: ['x', ...named.map(([name]) => name)],
  };
}

const ids = (values: number[], shape: number[]): Tensor => new Tensor(Int32Array.from(values), shape);

/**
 * Every nn layer, with and without its options that change the computation.
 *
 * @example
 * for (const layerCase of layerCases) {
 *   const { fn, inputs } = layerCase.build(0);
 *   gradcheck(fn, inputs);
 * }
 */
export const layerCases: readonly LayerCase[] = [
  {
    name: 'Linear',
    layer: 'Linear',
    build: (seed) => {
      const layer = new Linear(4, 3, { rng: rng(seed) });
      return moduleCase(layer, seed, [2, 3, 4], (x) => layer.forward(x));
    },
  },
  {
    name: 'Linear/no-bias',
    layer: 'Linear',
    build: (seed) => {
      const layer = new Linear(4, 2, { bias: false, rng: rng(seed) });
      return moduleCase(layer, seed, [5, 4], (x) => layer.forward(x));
    },
  },
  {
    name: 'Embedding',
    layer: 'Embedding',
    build: (seed) => {
      const table = new Embedding(5, 3, { rng: rng(seed) });
      // Repeated ids: their gradients must add up.
      const tokens = ids([1, 4, 1, 0, 1, 2], [2, 3]);
      return moduleCase(table, seed, null, () => table.forward(tokens));
    },
  },
  {
    name: 'LayerNorm',
    layer: 'LayerNorm',
    build: (seed) => {
      const norm = new LayerNorm(5);
      return moduleCase(norm, seed, [3, 5], (x) => norm.forward(x));
    },
  },
  {
    name: 'Dropout/eval',
    layer: 'Dropout',
    build: (seed) => {
      const dropout = new Dropout(0.4, { rng: rng(seed) }).eval();
      return moduleCase(dropout, seed, [4, 6], (x) => dropout.forward(x));
    },
  },
  {
    name: 'Dropout/train',
    layer: 'Dropout',
    // A fresh generator of one seed per call: the same mask every time, as finite differences need.
    build: (seed) => moduleCase(new Dropout(0.4), seed, [4, 6], (x) => new Dropout(0.4, { rng: rng(seed) }).forward(x)),
  },
  {
    name: 'MultiHeadAttention/causal',
    layer: 'MultiHeadAttention',
    build: (seed) => {
      const attention = new MultiHeadAttention(4, 2, { rng: rng(seed) });
      return moduleCase(attention, seed, [2, 3, 4], (x) => attention.forward(x, { causal: true }));
    },
  },
  {
    name: 'MultiHeadAttention/mask',
    layer: 'MultiHeadAttention',
    build: (seed) => {
      const attention = new MultiHeadAttention(4, 2, { bias: false, rng: rng(seed) });
      // A per-batch 0/1 mask with no fully masked row.
      const mask = new Tensor(Float64Array.from([1, 0, 1, 1, 1, 0, 0, 1, 1, /* batch 1 */ 1, 1, 0, 0, 1, 0, 1, 1, 1]), [2, 3, 3]);
      return moduleCase(attention, seed, [2, 3, 4], (x) => attention.forward(x, { mask }));
    },
  },
  {
    name: 'FeedForward',
    layer: 'FeedForward',
    build: (seed) => {
      const mlp = new FeedForward(3, { hidden: 5, rng: rng(seed) });
      return moduleCase(mlp, seed, [2, 3], (x) => mlp.forward(x));
    },
  },
  {
    name: 'FeedForward/gelu-tanh',
    layer: 'FeedForward',
    build: (seed) => {
      const mlp = new FeedForward(3, { hidden: 5, activation: 'geluTanh', rng: rng(seed) });
      return moduleCase(mlp, seed, [2, 3], (x) => mlp.forward(x));
    },
  },
  {
    name: 'TransformerBlock',
    layer: 'TransformerBlock',
    build: (seed) => {
      const block = new TransformerBlock(4, 2, { hidden: 6, rng: rng(seed) });
      return moduleCase(block, seed, [1, 3, 4], (x) => block.forward(x, { causal: true }));
    },
  },
  {
    name: 'GPT',
    layer: 'GPT',
    build: (seed) => {
      const model = new GPT({ vocabSize: 5, blockSize: 4, dModel: 4, heads: 2, layers: 1, hidden: 6, tiedHead: true, rng: rng(seed) });
      const tokens = ids([0, 3, 3, 1, 4, 2], [2, 3]);
      return moduleCase(model, seed, null, () => model.forward(tokens).logits);
    },
  },
];
