import { describe, expect, it } from 'vitest';
import { gradients, randn, rng, Tensor, tensor } from '@attograd/tensor';
import { matmul } from '@attograd/ops';
import { formatReport, gradcheck } from '@attograd/gradcheck';
import {
  attentionBlock,
  attentionWeights,
  attentionWeightsBackward,
  compareThreeWays,
  composites,
  selfAttention,
  selfAttentionBackward,
  stageByKey,
  traceSelfAttention,
  type StageInputs,
} from '../src/index';
import { allFinite, cotangentFor, leafCopy, maxAbs, maxAbsDiff } from './helpers';

function weights(seed: number, d: number, dK = d) {
  const random = rng(seed);
  const make = (shape: number[]) => leafCopy(randn(shape, { rng: random }));
  return { x: make([4, d]), wq: make([d, dK]), wk: make([d, dK]), wv: make([d, d]) };
}

/** Row 2 of a [4, 4] mask allows nothing; the other rows allow themselves and key 0. */
const maskWithEmptyRow = tensor([
  [1, 0, 0, 0],
  [1, 1, 0, 0],
  [0, 0, 0, 0],
  [1, 0, 1, 1],
]);

describe('a query row masked everywhere', () => {
  it('gives a zero output row, finite values and a zero gradient through that row', () => {
    const { x, wq, wk, wv } = weights(1, 4);
    const z = selfAttention(x, { wq, wk, wv }, { mask: maskWithEmptyRow });
    expect(allFinite(z)).toBe(true);
    expect((z.toArray() as number[][])[2]).toEqual([0, 0, 0, 0]);
    expect((z.toArray() as number[][])[1].some((v) => v !== 0)).toBe(true);

    // A cotangent that is nonzero only on the masked row reaches nothing.
    const onlyRow2 = new Tensor(
      new Float64Array(16).map((_, i) => (Math.floor(i / 4) === 2 ? 1 + i : 0)),
      [4, 4],
    );
    const grads = gradients(z, [x, wq, wk, wv], { gradOutput: onlyRow2 });
    for (const grad of grads) {
      expect(allFinite(grad)).toBe(true);
      expect(maxAbs(grad)).toBe(0);
    }
  });

  it('has zero attention weights and a zero score gradient on that row', () => {
    const sHat = leafCopy(randn([4, 4], { rng: rng(2) }));
    const p = attentionWeights(sHat, { mask: maskWithEmptyRow });
    expect((p.toArray() as number[][])[2]).toEqual([0, 0, 0, 0]);
    const dP = cotangentFor(p, 3);
    const [dSHat] = gradients(p, [sHat], { gradOutput: dP });
    expect((dSHat.toArray() as number[][])[2]).toEqual([0, 0, 0, 0]);
    expect(maxAbsDiff(dSHat, attentionWeightsBackward(p, dP).sHat)).toBeLessThan(1e-15);
  });

  it('passes gradcheck and the three-way comparison in selfAttention and attentionBlock', () => {
    for (const key of ['selfAttention', 'attentionBlock']) {
      const entry = composites.find((c) => c.key === key)!;
      const inputs: StageInputs = { ...entry.makeInputs({ seq: 4, dModel: 4, seed: 4 }), mask: maskWithEmptyRow };
      const args = entry.inputNames.map((name) => inputs[name]);
      const report = gradcheck(
        (...xs) => entry.run({ ...inputs, ...Object.fromEntries(entry.inputNames.map((n, i) => [n, xs[i]])) }),
        args,
      );
      expect(report.ok, formatReport(report)).toBe(true);
      expect(compareThreeWays(entry, inputs, { seed: 5 }).maxRelative).toBeLessThan(1e-8);
    }
  });

  it('in attentionBlock, leaves that row LayerNorm(x) (the residual alone)', () => {
    const { x, wq, wk, wv } = weights(6, 4);
    const gamma = tensor([1, 1, 1, 1]);
    const beta = tensor([0, 0, 0, 0]);
    const y = attentionBlock(x, { wq, wk, wv, gamma, beta }, { mask: maskWithEmptyRow });
    const row = Array.from(x.data.slice(8, 12));
    const mu = row.reduce((a, b) => a + b) / 4;
    const rstd = 1 / Math.sqrt(row.reduce((a, b) => a + (b - mu) ** 2, 0) / 4 + 1e-5);
    const expected = row.map((v) => (v - mu) * rstd);
    (y.toArray() as number[][])[2].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 13));
  });
});

describe('logits of magnitude 1e4', () => {
  // 1e4 plus O(1) offsets: the softmax must not overflow, and the gradient is not trivially 0.
  const logits = (seed: number) => {
    const t = randn([2, 3, 5], { rng: rng(seed) });
    for (let i = 0; i < t.size; i++) t.data[i] = (i % 2 === 0 ? 1e4 : -1e4) + (i % 2 === 0 ? t.data[i] : 0);
    return leafCopy(t);
  };

  it('gives finite weights whose rows sum to 1, and finite gradients', () => {
    const sHat = logits(7);
    const p = attentionWeights(sHat);
    expect(allFinite(p)).toBe(true);
    const rowsOf = p.toArray() as number[][][];
    for (const row of rowsOf.flat()) expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 14);
    const [dSHat] = gradients(p, [sHat], { gradOutput: cotangentFor(p, 8) });
    expect(allFinite(dSHat)).toBe(true);
    expect(maxAbs(dSHat)).toBeGreaterThan(1e-3);
  });

  it('passes the three-way comparison with a step suited to |x| = 1e4', () => {
    // The default relative step (6e-6·|x| = 0.06 here) is far too coarse for O(1) gaps between
    // logits of 1e4; a relative step of 1e-9 (h = 1e-5) restores central differences' accuracy.
    const softmax = stageByKey('softmax');
    const report = compareThreeWays(softmax, { sHat: logits(9) }, { seed: 10, relativeStep: 1e-9 });
    expect(report.maxRelative).toBeLessThan(1e-8);
  });

  it('passes gradcheck (eps 1e-9, so that h = 1e-5 absolute)', () => {
    const report = gradcheck((s) => attentionWeights(s), [logits(11)], { eps: 1e-9 });
    expect(report.ok, formatReport(report)).toBe(true);
  });

  it('stays finite in selfAttention when the scores are ~1e4 (saturated softmax)', () => {
    const { x, wq, wk, wv } = weights(12, 4);
    // Scores are quadratic in x: scale x so that the largest scaled score is 1e4.
    const factor = Math.sqrt(1e4 / maxAbs(traceSelfAttention(x, { wq, wk, wv }).sHat));
    const big = leafCopy(
      new Tensor(
        x.data.map((v) => v * factor),
        x.shape,
      ),
    );
    const trace = traceSelfAttention(big, { wq, wk, wv });
    expect(maxAbs(trace.sHat)).toBeCloseTo(1e4, 6);
    expect(allFinite(trace.p) && allFinite(trace.z)).toBe(true);
    const c = cotangentFor(trace.z, 13);
    const auto = gradients(trace.z, [big, wq, wk, wv], { gradOutput: c });
    const manual = selfAttentionBackward(big, { wq, wk, wv }, {}, c);
    [manual.x, manual.wq, manual.wk, manual.wv].forEach((m, i) => {
      expect(allFinite(auto[i])).toBe(true);
      expect(maxAbsDiff(m, auto[i])).toBeLessThan(1e-8 * Math.max(1, maxAbs(auto[i])));
    });
  });
});

describe('d_k = 1 and T = 1', () => {
  it('d_k = 1: gradcheck and the three-way comparison pass', () => {
    const { x, wq, wk, wv } = weights(14, 4, 1);
    const report = gradcheck((...xs) => selfAttention(xs[0], { wq: xs[1], wk: xs[2], wv: xs[3] }), [x, wq, wk, wv]);
    expect(report.ok, formatReport(report)).toBe(true);
    const entry = composites[0];
    expect(compareThreeWays(entry, { x, wq, wk, wv }, { seed: 15 }).maxRelative).toBeLessThan(1e-8);
  });

  it('T = 1: the output is X·W_v and W_q, W_k get exactly zero gradient', () => {
    const random = rng(16);
    const x = leafCopy(randn([1, 4], { rng: random }));
    const [wq, wk, wv] = [0, 1, 2].map(() => leafCopy(randn([4, 4], { rng: random })));
    const z = selfAttention(x, { wq, wk, wv });
    expect(maxAbsDiff(z, matmul(x, wv))).toBe(0);
    const [, dWq, dWk, dWv] = gradients(z, [x, wq, wk, wv], { gradOutput: cotangentFor(z, 17) });
    expect(maxAbs(dWq)).toBe(0);
    expect(maxAbs(dWk)).toBe(0);
    expect(maxAbs(dWv)).toBeGreaterThan(0);
    // The finite differences agree that W_q and W_k do not matter; gradcheck flags them vacuous.
    const report = gradcheck((...xs) => selfAttention(xs[0], { wq: xs[1], wk: xs[2], wv: xs[3] }), [x, wq, wk, wv]);
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.inputs.map((input) => input.vacuous)).toEqual([false, true, true, false]);
    expect(compareThreeWays(composites[2], composites[2].makeInputs({ seq: 1, dModel: 4, seed: 18 })).maxRelative).toBeLessThan(1e-8);
  });

  it('T = 1 with a batch and causal masking still attends to itself', () => {
    const entry = composites[1];
    const inputs = entry.makeInputs({ batch: 3, seq: 1, dModel: 4, heads: 2, causal: true, seed: 19 });
    const out = entry.run(inputs);
    expect(out.shape).toEqual([3, 1, 4]);
    expect(allFinite(out)).toBe(true);
    expect(maxAbs(out)).toBeGreaterThan(0);
  });
});
