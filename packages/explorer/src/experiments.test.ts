import {
  attentionWeightsBackward,
  composites,
  residualLayerNormBackward,
  scaleScoresBackward,
  scoresBackward,
  selfAttentionBackward,
} from '@attograd/attention';
import { add, div, exp, LAYER_NORM_EPS, layerNorm, matmul, scale, softmax, sum, transpose } from '@attograd/ops';
import { noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { residualExperiment, rowMaxExperiment, scalingExperiment } from './experiments';

describe('the textbook experiments', () => {
  it('without 1/√d_k the score spread grows like √d_k and the softmax entropy falls; with it both stay put', () => {
    const rows = scalingExperiment({ dKs: [4, 256], draws: 8 });
    const at = (dK: number, scaled: boolean) => rows.find((r) => r.dK === dK && r.scaled === scaled)!;
    expect(at(256, false).scoreSpread / at(4, false).scoreSpread).toBeGreaterThan(5); // √64 = 8
    expect(Math.abs(at(256, true).scoreSpread - at(4, true).scoreSpread)).toBeLessThan(0.3);
    expect(at(256, false).entropy).toBeLessThan(at(256, true).entropy);
  });

  it('the shifted softmax equals the plain one until e^x overflows, then the plain one is NaN', () => {
    const rows = rowMaxExperiment([0, 10, 1000]);
    expect(rows[0].difference).toBeLessThan(1e-15);
    expect(rows[1].difference).toBeLessThan(1e-15);
    expect(rows[2].naive).toBeNaN();
    expect(Number.isFinite(rows[2].shifted)).toBe(true);
  });

  it('measures a finite gradient reaching x with and without the residual', () => {
    const rows = residualExperiment([1, 4]);
    for (const row of rows) for (const v of [row.withResidual, row.withoutResidual]) expect(v).toBeGreaterThan(0);
  });
});

/*
 * The experiments' numbers against independent computations written here: the same seeded draws,
 * the forward pass through the public ops, and the gradients by the attention package's
 * hand-derived backward functions instead of autograd.
 */

function norm(t: Tensor): number {
  let total = 0;
  for (const v of t.data) total += v * v;
  return Math.sqrt(total);
}

function expectRelative(found: number, want: number, tolerance: number, what: string): void {
  expect(Math.abs(found - want), `${what}: ${found} vs ${want}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want)));
}

describe('the experiments agree with independent computations', () => {
  it('residual: ‖dX‖ through stacked blocks, with and without the residual, by hand-derived backward (1e-12)', () => {
    const seq = 5;
    const dModel = 6;
    const seed = 3;
    const depths = [1, 2, 3];
    const block = composites.find((c) => c.key === 'attentionBlock')!;
    const independent = (depth: number, residual: boolean): number => {
      const x = randn([seq, dModel], { rng: rng(seed) });
      const layers: Array<{ input: Tensor; z: Tensor; w: Record<string, Tensor> }> = [];
      let h = x;
      noGrad(() => {
        for (let layer = 0; layer < depth; layer++) {
          const w = block.makeInputs({ seq, dModel, seed: seed + 1 + layer });
          // Z = softmax(X W_q (X W_k)ᵀ / √d) X W_v, written with the ops.
          const q = matmul(h, w.wq);
          const k = matmul(h, w.wk);
          const v = matmul(h, w.wv);
          const z = matmul(softmax(scale(matmul(q, transpose(k)), 1 / Math.sqrt(dModel)), -1), v);
          layers.push({ input: h, z, w });
          h = layerNorm(residual ? add(h, z) : z, w.gamma, w.beta, LAYER_NORM_EPS);
        }
      });
      // Back through the layers by the hand-derived backward functions.
      let dH = randn(h.shape, { rng: rng(seed + 99) });
      for (let layer = depth - 1; layer >= 0; layer--) {
        const { input, z, w } = layers[layer];
        const zero = new Tensor(new Float64Array(input.size), input.shape);
        const ln = residualLayerNormBackward(residual ? input : zero, z, { gamma: w.gamma, beta: w.beta }, LAYER_NORM_EPS, dH);
        const through = selfAttentionBackward(input, { wq: w.wq, wk: w.wk, wv: w.wv }, {}, ln.z).x;
        dH = residual ? noGrad(() => add(ln.x, through)) : through;
      }
      return norm(dH);
    };
    const rows = residualExperiment(depths, { seq, dModel, seed });
    expect(rows.map((r) => r.depth)).toEqual(depths);
    for (const row of rows) {
      expectRelative(row.withResidual, independent(row.depth, true), 1e-12, `depth ${row.depth} with residual`);
      expectRelative(row.withoutResidual, independent(row.depth, false), 1e-12, `depth ${row.depth} without residual`);
    }
  });

  it('scaling: score spread, entropy and ‖(dQ, dK)‖ per d_k, by the ops and the hand-derived backward (1e-12)', () => {
    const dKs = [4, 64];
    const draws = 3;
    const seq = 5;
    const seed = 2;
    const rows = scalingExperiment({ dKs, draws, seq, seed });
    expect(rows.map((r) => [r.dK, r.scaled])).toEqual([
      [4, true],
      [4, false],
      [64, true],
      [64, false],
    ]);
    for (const row of rows) {
      let spread = 0;
      let entropy = 0;
      let gradNorm = 0;
      for (let draw = 0; draw < draws; draw++) {
        const random = rng(seed * 7919 + draw * 104729 + row.dK);
        const q = randn([seq, row.dK], { rng: random });
        const k = randn([seq, row.dK], { rng: random });
        const dP = randn([seq, seq], { rng: random });
        const s = matmul(q, transpose(k));
        const input = row.scaled ? scale(s, 1 / Math.sqrt(row.dK)) : s;
        const p = softmax(input, -1);
        const values = Array.from(input.data);
        const average = values.reduce((a, v) => a + v, 0) / values.length;
        spread += Math.sqrt(values.reduce((a, v) => a + (v - average) ** 2, 0) / values.length) / draws;
        let rowEntropy = 0;
        for (const value of p.data) if (value > 0) rowEntropy -= value * Math.log(value);
        entropy += rowEntropy / seq / draws;
        const dSHat = attentionWeightsBackward(p, dP).sHat;
        const dS = row.scaled ? scaleScoresBackward(row.dK, dSHat).s : dSHat;
        const grads = scoresBackward(q, k, dS);
        gradNorm += Math.hypot(norm(grads.q), norm(grads.k)) / draws;
      }
      const what = `d_k ${row.dK} ${row.scaled ? 'scaled' : 'unscaled'}`;
      expectRelative(row.scoreSpread, spread, 1e-12, `${what} spread`);
      expectRelative(row.entropy, entropy, 1e-12, `${what} entropy`);
      expectRelative(row.gradNorm, gradNorm, 1e-12, `${what} gradient norm`);
    }
  });

  it('row max: the shifted row equals the library softmax, the plain one e^x / Σe^x by the ops (1e-12)', () => {
    const offsets = [0, 10, 100, 700, 1000];
    const seed = 4;
    const rows = rowMaxExperiment(offsets, seed);
    const base = randn([8], { rng: rng(seed) });
    rows.forEach((row, i) => {
      expect(row.offset).toBe(offsets[i]);
      const x = noGrad(() => add(base, offsets[i]));
      const library = softmax(x, -1);
      const e = exp(x);
      const plain = noGrad(() => div(e, sum(e)));
      expectRelative(row.shifted, library.data[0], 1e-12, `offset ${row.offset} shifted`);
      if (Number.isNaN(plain.data[0])) expect(row.naive).toBeNaN();
      else expectRelative(row.naive, plain.data[0], 1e-12, `offset ${row.offset} plain`);
      let difference = 0;
      for (let j = 0; j < 8; j++) difference = Math.max(difference, Math.abs(plain.data[j] - library.data[j]));
      if (Number.isNaN(row.difference)) expect(plain.data.some(Number.isNaN)).toBe(true);
      else expect(Math.abs(row.difference - difference)).toBeLessThanOrEqual(1e-15);
    });
  });
});
