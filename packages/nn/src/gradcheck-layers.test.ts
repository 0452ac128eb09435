import { describe, expect, it } from 'vitest';
import { formatReport, gradcheck, type GradcheckMode } from '@attograd/gradcheck';
import { noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { mul, sum } from '@attograd/ops';
import { Dropout, GPT } from './index';
import type { Module } from './module';

/**
 * The layers' first-order checks beyond the layer case table (layer-cases.test.ts runs gradcheck,
 * gradgradcheck and jvp over every row of it): the GPT's loss, tied and untied, and a 2-layer
 * GPT's logits, with respect to every parameter (@attograd/gradcheck, float64). A layer's output is contracted with a seeded random cotangent c, so the
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

describe('gradcheck of the GPT (float64, random cotangent)', () => {
  it('Dropout in training mode drops (its gradcheck is the Dropout/train row of layer-cases.test.ts)', () => {
    const f = (x: Tensor): Tensor => new Dropout(0.4, { rng: rng(20) }).forward(x);
    expect(f(input([4, 6], 21)).data.some((v) => v === 0)).toBe(true);
  });

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
