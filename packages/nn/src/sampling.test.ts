import { describe, expect, it } from 'vitest';
import { rng, Tensor, tensor } from '@attograd/tensor';
import { multinomial, sampleLogits, topKFilter } from './index';

/** Counts of each class among the drawn ids. */
function counts(ids: Tensor, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const id of ids.data) out[id]++;
  return out;
}

/**
 * Each count is binomial(n, p): it lies within 5 standard deviations of n·p except with
 * probability below 1e-6 per class (and the seed is fixed, so the test is deterministic anyway).
 */
function expectFrequencies(observed: number[], probabilities: number[], n: number): void {
  probabilities.forEach((p, c) => {
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(observed[c] - n * p), `class ${c}: ${observed[c]} of ${n}, p = ${p}`).toBeLessThanOrEqual(5 * sd + 1e-9);
  });
}

describe('multinomial', () => {
  it('draws classes in proportion to their weights (rows need not sum to 1), never a zero weight', () => {
    const n = 20000;
    const ids = multinomial(tensor([2, 0, 1, 5]), { samples: n, rng: rng(1) });
    expect(ids.dtype).toBe('int32');
    expect(ids.shape).toEqual([n]);
    const observed = counts(ids, 4);
    expect(observed[1]).toBe(0);
    expectFrequencies(observed, [0.25, 0, 0.125, 0.625], n);
  });

  it('handles rows independently: [..., C] → [..., samples]', () => {
    const probs = tensor([
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
      [
        [0, 1, 0],
        [0.5, 0.5, 0],
      ],
    ]);
    const ids = multinomial(probs, { samples: 3, rng: rng(2) });
    expect(ids.shape).toEqual([2, 2, 3]);
    expect(Array.from(ids.data.subarray(0, 9))).toEqual([0, 0, 0, 2, 2, 2, 1, 1, 1]);
    expect(Array.from(ids.data.subarray(9)).every((id) => id === 0 || id === 1)).toBe(true);
  });

  it('is reproducible from its seed', () => {
    const probs = tensor([0.2, 0.3, 0.5]);
    expect(Array.from(multinomial(probs, { samples: 50, rng: rng(3) }).data)).toEqual(
      Array.from(multinomial(probs, { samples: 50, rng: rng(3) }).data),
    );
  });

  it('names bad weights, rows and arguments', () => {
    expect(() => multinomial(tensor([0.5, -0.1]))).toThrow(
      'multinomial: probs row 0 has weight -0.1 at class 1; weights must be finite and non-negative',
    );
    expect(() =>
      multinomial(
        tensor([
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toThrow('multinomial: probs row 1 sums to 0: there is nothing to draw');
    expect(() => multinomial(tensor([1, NaN]))).toThrow(/probs holds NaN at flat position 1/);
    expect(() => multinomial(tensor([1, Infinity]))).toThrow(/weight Infinity/);
    expect(() => multinomial(new Tensor(Int32Array.from([1]), [1]))).toThrow(/probs must be a float tensor, got int32/);
    expect(() => multinomial(tensor([1]), { samples: 0 })).toThrow(/samples must be an integer ≥ 1/);
    expect(() => multinomial([0.5, 0.5] as never)).toThrow(/multinomial: probs must be a Tensor, got an array of length 2/);
  });
});

describe('topKFilter', () => {
  it('keeps the k largest of each row (ties with the k-th kept) and sets the rest to −∞', () => {
    expect(topKFilter(tensor([1, 3, 2]), 2).toArray()).toEqual([-Infinity, 3, 2]);
    expect(
      topKFilter(
        tensor([
          [5, 1, 5, 0],
          [0, 1, 2, 3],
        ]),
        1,
      ).toArray(),
    ).toEqual([
      [5, -Infinity, 5, -Infinity],
      [-Infinity, -Infinity, -Infinity, 3],
    ]);
    expect(topKFilter(tensor([1, 2]), 5).toArray()).toEqual([1, 2]);
  });
});

describe('sampleLogits', () => {
  const logits = tensor([
    [0.5, 2, -1, 1.5],
    [3, 0, 0, 0],
  ]);

  it('temperature 0 is the argmax of each row (the first of equal maxima)', () => {
    expect(Array.from(sampleLogits(logits, { temperature: 0 }).data)).toEqual([1, 0]);
    expect(Array.from(sampleLogits(tensor([2, 7, 7]), { temperature: 0 }).data)).toEqual([1]);
  });

  it('top-k 1 always draws the argmax', () => {
    const ids = Array.from({ length: 30 }, (_, i) => Array.from(sampleLogits(logits, { topK: 1, rng: rng(i) }).data));
    expect(ids.every(([a, b]) => a === 1 && b === 0)).toBe(true);
  });

  it('draws from softmax(logits/τ), restricted to the top k', () => {
    const row = [0.5, 2, -1, 1.5];
    const n = 20000;
    const random = rng(4);
    for (const [temperature, topK] of [
      [1, undefined],
      [0.5, undefined],
      [2, 2],
    ] as const) {
      const allowed = row.map((v) => (topK === undefined || v >= [...row].sort((a, b) => b - a)[topK - 1] ? Math.exp(v / temperature) : 0));
      const total = allowed.reduce((a, b) => a + b, 0);
      const ids = new Int32Array(n);
      for (let i = 0; i < n; i++) ids[i] = sampleLogits(tensor(row), { temperature, topK, rng: random }).data[0];
      expectFrequencies(
        counts(new Tensor(ids, [n]), 4),
        allowed.map((w) => w / total),
        n,
      );
    }
  });

  it('returns int32 ids shaped like the logits without their last axis', () => {
    const ids = sampleLogits(tensor([[[1, 2]], [[3, 4]]]), { rng: rng(5) });
    expect(ids.dtype).toBe('int32');
    expect(ids.shape).toEqual([2, 1]);
  });

  it('names a bad temperature and a row without a finite maximum', () => {
    expect(() => sampleLogits(logits, { temperature: -1 })).toThrow('sampleLogits: temperature must be a finite number ≥ 0, got number -1');
    expect(() => sampleLogits(tensor([-Infinity, -Infinity]), { rng: rng(6) })).toThrow(/logits row 0 has largest value -Infinity/);
    expect(() => sampleLogits(logits, { topK: 0 })).toThrow(/topKFilter: k must be an integer ≥ 1/);
  });
});
