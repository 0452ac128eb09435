import { describe, expect, it } from 'vitest';
import { formatReport, gradcheck, type GradcheckMode } from '@attograd/gradcheck';
import { noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { mul, sum } from '@attograd/ops';
import { Dropout, Embedding, FeedForward, GPT, LayerNorm, Linear, MultiHeadAttention, TransformerBlock } from './index';
import type { Module } from './module';

/**
 * Every layer against finite differences (@attograd/gradcheck, float64), with respect to its input
 * and every parameter. A layer's output is contracted with a seeded random cotangent c, so the
 * checked function is ⟨layer(x), c⟩ — never a plain sum, which hides transposition errors and
 * vanishes through a normalisation. The full Jacobian of that scalar is compared element by
 * element. Parameters are moved off their initial values (biases 0, γ 1) first.
 */

/** ⟨f(...), c⟩ with a fixed random c shaped like f's output. */
function contracted(f: (...inputs: Tensor[]) => Tensor, seed: number): (...inputs: Tensor[]) => Tensor {
  let c: Tensor | null = null;
  return (...inputs) => {
    const out = f(...inputs);
    c ??= randn(out.shape, { rng: rng(seed) });
    return sum(mul(out, c));
  };
}

/** Moves every parameter to random values (so biases and γ are neither 0 nor 1). */
function scramble(module: Module, seed: number): void {
  const random = rng(seed);
  noGrad(() => {
    for (const p of module.parameters()) p.copy_(randn(p.shape, { rng: random }));
  });
}

function expectPasses(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], seed: number, mode: GradcheckMode = 'full'): void {
  const report = gradcheck(contracted(f, seed), inputs, { mode, seed });
  expect(report.ok, formatReport(report)).toBe(true);
  for (const input of report.inputs) expect(input.vacuous, `input ${input.index}: ${input.vacuousReason}`).toBe(false);
}

const input = (shape: number[], seed: number): Tensor => randn(shape, { rng: rng(seed), requiresGrad: true });

describe('gradcheck of every layer (float64, random cotangent)', () => {
  it('Linear, with and without bias, on a [2, 3, 4] input', () => {
    const layer = new Linear(4, 3, { rng: rng(1) });
    scramble(layer, 11);
    expectPasses((x) => layer.forward(x), [input([2, 3, 4], 12), ...layer.parameters()], 13);
    const plain = new Linear(4, 2, { bias: false, rng: rng(2) });
    expectPasses((x) => plain.forward(x), [input([5, 4], 14), plain.weight], 15);
  });

  it('Embedding, with repeated ids (their gradients add up)', () => {
    const table = new Embedding(5, 3, { rng: rng(3) });
    const ids = new Tensor(Int32Array.from([1, 4, 1, 0, 1, 2]), [2, 3]);
    expectPasses(() => table.forward(ids), [table.weight], 16);
  });

  it('LayerNorm (x, γ, β)', () => {
    const norm = new LayerNorm(5);
    scramble(norm, 17);
    expectPasses((x) => norm.forward(x), [input([3, 5], 18), ...norm.parameters()], 19);
  });

  it('Dropout in training mode (the same seeded mask on every call)', () => {
    const f = (x: Tensor): Tensor => new Dropout(0.4, { rng: rng(20) }).forward(x);
    expectPasses(f, [input([4, 6], 21)], 22);
    expect(f(input([4, 6], 21)).data.some((v) => v === 0)).toBe(true); // the mask really drops
  });

  it('MultiHeadAttention, causal, 2 heads, batch of 2 (input and all four parameters)', () => {
    const attention = new MultiHeadAttention(4, 2, { rng: rng(4) });
    scramble(attention, 23);
    expectPasses((x) => attention.forward(x, { causal: true }), [input([2, 3, 4], 24), ...attention.parameters()], 25);
  }, 60_000);

  it('MultiHeadAttention with an explicit per-batch mask and without biases', () => {
    const attention = new MultiHeadAttention(4, 2, { bias: false, rng: rng(5) });
    const mask = new Tensor(Float64Array.from([1, 0, 1, 1, 1, 0, 0, 1, 1, /* batch 1 */ 1, 1, 0, 0, 1, 0, 1, 1, 1]), [2, 3, 3]);
    expectPasses((x) => attention.forward(x, { mask }), [input([2, 3, 4], 26), ...attention.parameters()], 27);
  });

  it('FeedForward with GELU, and with the tanh approximation', () => {
    for (const activation of ['gelu', 'geluTanh'] as const) {
      const mlp = new FeedForward(3, { hidden: 5, activation, rng: rng(6) });
      scramble(mlp, 28);
      expectPasses((x) => mlp.forward(x), [input([2, 3], 29), ...mlp.parameters()], 30);
    }
  });

  it('TransformerBlock (pre-norm, causal), every parameter', () => {
    const block = new TransformerBlock(4, 2, { hidden: 6, rng: rng(7) });
    scramble(block, 31);
    expectPasses((x) => block.forward(x, { causal: true }), [input([1, 3, 4], 32), ...block.parameters()], 33);
  }, 60_000);

  it('GPT: the loss (one ignored position) with respect to every parameter, tied and untied', () => {
    for (const tiedHead of [false, true]) {
      const model = new GPT({ vocabSize: 5, blockSize: 4, dModel: 4, heads: 2, layers: 1, hidden: 6, tiedHead, initStd: 0.5, rng: rng(8) });
      const ids = new Tensor(Int32Array.from([0, 3, 3, 1, 4, 2]), [2, 3]);
      const targets = new Tensor(Int32Array.from([3, 3, -100, 4, 2, 0]), [2, 3]);
      const report = gradcheck(() => model.forward(ids, targets).loss!, model.parameters(), { seed: 34 });
      expect(report.ok, formatReport(report)).toBe(true);
    }
  }, 120_000);

  it('GPT logits with a random cotangent (fast mode, 2 layers, untied)', () => {
    const model = new GPT({ vocabSize: 6, blockSize: 5, dModel: 8, heads: 2, layers: 2, initStd: 0.3, rng: rng(9) });
    scramble(model, 35);
    const ids = new Tensor(Int32Array.from([5, 0, 2, 2, 1, 3, 4, 0, 5, 1]), [2, 5]);
    expectPasses(() => model.forward(ids).logits, model.parameters(), 36, 'fast');
  }, 60_000);
});
