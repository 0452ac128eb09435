import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rng, Tensor } from '@attograd/tensor';
import { mul, sum } from '@attograd/ops';
import {
  attentionWeightsBackward,
  composites,
  projectBackward,
  residualLayerNormBackward,
  scaleScores,
  scaleScoresBackward,
  scores,
  scoresBackward,
  selfAttention,
  stageByKey,
  stages,
  traceSelfAttention,
  unstackProjections,
  weightedSum,
  weightedSumBackward,
} from '../src/index';
import { cotangentFor, maxAbsDiff, randomMask } from './helpers';

/** Σ a ⊙ b over everything. */
const inner = (a: Tensor, b: Tensor): number => sum(mul(a, b)).item();
/** rowsum along the last axis, as plain arrays. */
const rowsums = (t: Tensor): number[] => Array.from(sum(t, -1).data);

const sizes = fc.record({
  batch: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  seq: fc.integer({ min: 1, max: 6 }),
  heads: fc.constantFrom(1, 2),
  perHead: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  causal: fc.boolean(),
});
type Sizes = typeof sizes extends fc.Arbitrary<infer T> ? T : never;
const toInputSizes = (s: Sizes) => ({
  batch: s.batch,
  seq: s.seq,
  dModel: s.heads * s.perHead,
  heads: s.heads,
  seed: s.seed,
  causal: s.causal,
});

describe('properties (fast-check)', () => {
  it('rowsum(dP ⊙ P) = rowsum(dZ ⊙ Z) (FlashAttention’s identity)', () => {
    fc.assert(
      fc.property(sizes, fc.boolean(), (s, explicitMask) => {
        const inputs = composites[0].makeInputs(toInputSizes(s));
        const mask = explicitMask ? randomMask(rng(s.seed), [s.seq, s.seq], false) : inputs.mask;
        const trace = traceSelfAttention(inputs.x, { wq: inputs.wq, wk: inputs.wk, wv: inputs.wv }, { mask });
        const dZ = cotangentFor(trace.z, s.seed + 1);
        const { p: dP } = weightedSumBackward(trace.p, trace.v, dZ);
        const left = rowsums(mul(dP, trace.p));
        const right = rowsums(mul(dZ, trace.z));
        left.forEach((value, i) => expect(value).toBeCloseTo(right[i], 12));
      }),
      { numRuns: 60 },
    );
  });

  it('attention weights: rows sum to 1 (0 when nothing is allowed), masked entries are 0, dŜ rows sum to 0', () => {
    const softmax = stageByKey('softmax');
    fc.assert(
      fc.property(sizes, (s) => {
        const inputs = softmax.makeInputs(toInputSizes(s));
        const mask = randomMask(rng(s.seed), [s.seq, s.seq], false);
        const p = softmax.run({ ...inputs, mask });
        const allowedRows = rowsums(
          new Tensor(
            Float64Array.from(mask.data, (v) => (v !== 0 ? 1 : 0)),
            mask.shape,
          ),
        );
        rowsums(p).forEach((total, i) => expect(total).toBeCloseTo(allowedRows[i % s.seq] > 0 ? 1 : 0, 13));
        p.data.forEach((value, i) => {
          if (mask.data[i % (s.seq * s.seq)] === 0) expect(value).toBe(0);
        });
        const dSHat = attentionWeightsBackward(p, cotangentFor(p, s.seed)).sHat;
        rowsums(dSHat).forEach((total) => expect(total).toBeCloseTo(0, 13));
      }),
      { numRuns: 60 },
    );
  });

  it('causal attention never looks ahead: P_ij = 0 for j > i', () => {
    fc.assert(
      fc.property(sizes, (s) => {
        const inputs = composites[0].makeInputs(toInputSizes(s));
        const { p } = traceSelfAttention(inputs.x, { wq: inputs.wq, wk: inputs.wk, wv: inputs.wv }, { causal: true });
        p.data.forEach((value, index) => {
          const i = Math.floor(index / s.seq) % s.seq;
          const j = index % s.seq;
          if (j > i) expect(value).toBe(0);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('bilinear stages: ⟨f(a, b), c⟩ = ⟨a, dA⟩ = ⟨b, dB⟩ (Euler’s identity for functions linear in each input)', () => {
    fc.assert(
      fc.property(sizes, (s) => {
        const size = toInputSizes(s);
        const { q, k } = stageByKey('scores').makeInputs(size);
        const dS = cotangentFor(scores(q, k), s.seed);
        const dScores = scoresBackward(q, k, dS);
        const total = inner(scores(q, k), dS);
        expect(inner(q, dScores.q)).toBeCloseTo(total, 10);
        expect(inner(k, dScores.k)).toBeCloseTo(total, 10);

        const { p, v } = stageByKey('weightedSum').makeInputs(size);
        const dZ = cotangentFor(weightedSum(p, v), s.seed + 2);
        const dWeighted = weightedSumBackward(p, v, dZ);
        expect(inner(p, dWeighted.p)).toBeCloseTo(inner(weightedSum(p, v), dZ), 10);
        expect(inner(v, dWeighted.v)).toBeCloseTo(inner(weightedSum(p, v), dZ), 10);

        const projection = stageByKey('projection').makeInputs(size);
        const stacked = stageByKey('projection').run(projection);
        const dStacked = cotangentFor(stacked, s.seed + 3);
        const dProjection = projectBackward(
          projection.x,
          { wq: projection.wq, wk: projection.wk, wv: projection.wv },
          unstackProjections(dStacked),
        );
        const parts = unstackProjections(dStacked);
        const projected = unstackProjections(stacked);
        // Q is linear in W_q alone; the stacked output is linear in X.
        expect(inner(projection.wq, dProjection.wq)).toBeCloseTo(inner(projected.q, parts.q), 10);
        expect(inner(projection.wv, dProjection.wv)).toBeCloseTo(inner(projected.v, parts.v), 10);
        expect(inner(projection.x, dProjection.x)).toBeCloseTo(inner(stacked, dStacked), 10);
      }),
      { numRuns: 40 },
    );
  });

  it('scaling is linear: ⟨Ŝ(s), c⟩ = ⟨s, dS⟩', () => {
    fc.assert(
      fc.property(sizes, (s) => {
        const inputs = stageByKey('scaling').makeInputs(toInputSizes(s));
        const dK = inputs.dK.item();
        const c = cotangentFor(inputs.s, s.seed);
        expect(inner(scaleScores(inputs.s, dK), c)).toBeCloseTo(inner(inputs.s, scaleScoresBackward(dK, c).s), 10);
      }),
      { numRuns: 30 },
    );
  });

  it('layer norm: every row of dH sums to 0, and ⟨dH, H − μ⟩ = ⟨dN, N⟩·ε/(var + ε) per row', () => {
    // Y ignores a shift of a row of H (so dH ⟂ 1) and, up to ε, a scaling of its centred part.
    const eps = 1e-5;
    fc.assert(
      fc.property(sizes, (s) => {
        const { x, z, gamma, beta } = stageByKey('residualLayerNorm').makeInputs(toInputSizes(s));
        const dY = cotangentFor(x, s.seed);
        const { x: dH } = residualLayerNormBackward(x, z, { gamma, beta }, eps, dY);
        const d = x.shape[x.rank - 1];
        for (let start = 0; start < x.size; start += d) {
          const h = Array.from({ length: d }, (_, j) => x.data[start + j] + z.data[start + j]);
          const mu = h.reduce((a, b) => a + b, 0) / d;
          const variance = h.reduce((a, b) => a + (b - mu) ** 2, 0) / d;
          const n = h.map((value) => (value - mu) / Math.sqrt(variance + eps));
          const dN = n.map((_, j) => dY.data[start + j] * gamma.data[j]);
          const row = Array.from(dH.data.slice(start, start + d));
          // Round-off in dH is relative to rstd·|dN|·|H| (its terms), not to dH, which may be tiny.
          const roundOff =
            1e-13 * d * (1 / Math.sqrt(variance + eps)) * (1 + dN.reduce((a, b) => a + Math.abs(b), 0)) * Math.max(1, ...h.map(Math.abs));
          expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(roundOff);
          const left = row.reduce((total, value, j) => total + value * (h[j] - mu), 0);
          const right = (dN.reduce((total, value, j) => total + value * n[j], 0) * eps) / (variance + eps);
          // Round-off is relative to the terms summed, not to the (possibly tiny) result.
          const terms = row.reduce((total, value, j) => total + Math.abs(value * (h[j] - mu)), 0) + Math.abs(right);
          expect(Math.abs(left - right)).toBeLessThan(1e-12 * Math.max(1, terms));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('without a mask, permuting the tokens permutes the output rows (permutation equivariance)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 2, max: 6 }), (seed, seq) => {
        const inputs = composites[0].makeInputs({ seq, dModel: 4, seed });
        const order = Array.from({ length: seq }, (_, i) => (i + 1) % seq);
        const permuted = new Tensor(Float64Array.from(order.flatMap((row) => Array.from(inputs.x.data.slice(row * 4, row * 4 + 4)))), [
          seq,
          4,
        ]);
        const weights = { wq: inputs.wq, wk: inputs.wk, wv: inputs.wv };
        const z = selfAttention(inputs.x, weights);
        const zPermuted = selfAttention(permuted, weights);
        const expected = new Tensor(Float64Array.from(order.flatMap((row) => Array.from(z.data.slice(row * 4, row * 4 + 4)))), [seq, 4]);
        expect(maxAbsDiff(zPermuted, expected)).toBeLessThan(1e-14);
      }),
      { numRuns: 30 },
    );
  });

  it('equal seeds give equal inputs; different seeds differ', () => {
    for (const entry of [...stages, ...composites]) {
      const a = entry.makeInputs({ seq: 3, dModel: 4, seed: 5 });
      const b = entry.makeInputs({ seq: 3, dModel: 4, seed: 5 });
      const c = entry.makeInputs({ seq: 3, dModel: 4, seed: 6 });
      for (const name of entry.inputNames) {
        expect(Array.from(a[name].data)).toEqual(Array.from(b[name].data));
        expect(Array.from(a[name].data)).not.toEqual(Array.from(c[name].data));
      }
    }
  });
});
