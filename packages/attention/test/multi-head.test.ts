import { describe, expect, it } from 'vitest';
import { gradients, ones, randn, rng, Tensor } from '@attograd/tensor';
import { add, matmul } from '@attograd/ops';
import { headMask, mergeHeads, multiHeadAttention, selfAttention, splitHeads } from '../src/index';
import { cotangentFor, maxAbsDiff, randomMask } from './helpers';

/**
 * multiHeadAttention splits heads with reshape + permute. The reference here never does: it loops
 * over heads, slicing columns h·d_k … (h+1)·d_k − 1 of W_q, W_k, W_v (and the matching rows of
 * W_o) by hand, runs single-head selfAttention on each, and adds Z_h·W_o[rows of h] — the same as
 * concatenating the Z_h and multiplying by W_o.
 */

/** Columns [start, end) of a matrix, as a new leaf. */
function columns(w: Tensor, start: number, end: number): Tensor {
  const [rows, cols] = w.shape;
  const data = new Float64Array(rows * (end - start));
  for (let r = 0; r < rows; r++) for (let c = start; c < end; c++) data[r * (end - start) + c - start] = w.data[r * cols + c];
  return new Tensor(data, [rows, end - start], { requiresGrad: true });
}

/** Rows [start, end) of a matrix, as a new leaf. */
function rows(w: Tensor, start: number, end: number): Tensor {
  const cols = w.shape[1];
  return new Tensor(w.data.slice(start * cols, end * cols), [end - start, cols], { requiresGrad: true });
}

/** Matrices side by side (along columns). */
function concatColumns(parts: Tensor[]): Tensor {
  const height = parts[0].shape[0];
  const width = parts.reduce((total, p) => total + p.shape[1], 0);
  const data = new Float64Array(height * width);
  let offset = 0;
  for (const part of parts) {
    const w = part.shape[1];
    for (let r = 0; r < height; r++) for (let c = 0; c < w; c++) data[r * width + offset + c] = part.data[r * w + c];
    offset += w;
  }
  return new Tensor(data, [height, width]);
}

function setup(seed: number, shape: number[], d: number) {
  const random = rng(seed);
  const leaf = (s: number[], factor = 1) =>
    new Tensor(
      randn(s, { rng: random }).data.map((v) => v * factor),
      s,
      { requiresGrad: true },
    );
  const f = 1 / Math.sqrt(d);
  return { x: leaf([...shape, d]), wq: leaf([d, d], f), wk: leaf([d, d], f), wv: leaf([d, d], f), wo: leaf([d, d], f) };
}

const cases = [
  { label: '[3, 4], 2 heads', shape: [3], d: 4, heads: 2, causal: false },
  { label: '[2, 5, 6], 3 heads, causal', shape: [2, 5], d: 6, heads: 3, causal: true },
  { label: '[2, 4, 8], 4 heads, masked', shape: [2, 4], d: 8, heads: 4, causal: false, mask: [2, 4, 4] },
  { label: '[3, 4], 4 heads (d_k = 1)', shape: [3], d: 4, heads: 4, causal: false },
  { label: '[3, 4], 1 head', shape: [3], d: 4, heads: 1, causal: false },
];

describe('multiHeadAttention equals a loop of single-head attentions over column slices', () => {
  it.each(cases)('$label', ({ shape, d, heads, causal, mask: maskShape }) => {
    const { x, wq, wk, wv, wo } = setup(d * 10 + heads, shape, d);
    const mask = maskShape ? randomMask(rng(heads), maskShape) : undefined;
    const out = multiHeadAttention(x, { wq, wk, wv, wo }, { heads, causal, mask });

    const dK = d / heads;
    const slices = Array.from({ length: heads }, (_, h) => ({
      wq: columns(wq, h * dK, (h + 1) * dK),
      wk: columns(wk, h * dK, (h + 1) * dK),
      wv: columns(wv, h * dK, (h + 1) * dK),
      wo: rows(wo, h * dK, (h + 1) * dK),
    }));
    const xLoop = new Tensor(x.data.slice(), x.shape, { requiresGrad: true });
    const reference = slices.map((s) => matmul(selfAttention(xLoop, s, { causal, mask }), s.wo)).reduce((total, term) => add(total, term));
    expect(maxAbsDiff(out, reference)).toBeLessThan(1e-14);

    // Gradients: each head's slice gradient is the matching block of the full weight's gradient.
    const c = cotangentFor(out, 99);
    const [dX, dWq, dWk, dWv, dWo] = gradients(out, [x, wq, wk, wv, wo], { gradOutput: c });
    const leaves = [xLoop, ...slices.flatMap((s) => [s.wq, s.wk, s.wv, s.wo])];
    const loopGrads = gradients(reference, leaves, { gradOutput: c });
    const perHead = (j: number) => slices.map((_, h) => loopGrads[1 + h * 4 + j]);
    expect(maxAbsDiff(dX, loopGrads[0])).toBeLessThan(1e-13);
    expect(maxAbsDiff(dWq, concatColumns(perHead(0)))).toBeLessThan(1e-13);
    expect(maxAbsDiff(dWk, concatColumns(perHead(1)))).toBeLessThan(1e-13);
    expect(maxAbsDiff(dWv, concatColumns(perHead(2)))).toBeLessThan(1e-13);
    const dWoLoop = new Tensor(Float64Array.from(perHead(3).flatMap((g) => Array.from(g.data))), [d, d]);
    expect(maxAbsDiff(dWo, dWoLoop)).toBeLessThan(1e-13);
  });
});

describe('splitHeads and mergeHeads', () => {
  it('splitHeads puts columns h·d_k … (h+1)·d_k − 1 into head h, and mergeHeads undoes it', () => {
    const t = new Tensor(
      Float64Array.from({ length: 2 * 3 * 4 }, (_, i) => i),
      [2, 3, 4],
    );
    const split = splitHeads(t, 2);
    expect(split.shape).toEqual([2, 2, 3, 2]);
    // batch 1, head 1, token 2 = columns 2..3 of row 2 of batch 1.
    expect((split.toArray() as number[][][][])[1][1][2]).toEqual([12 + 8 + 2, 12 + 8 + 3]);
    expect(Array.from(mergeHeads(split).data)).toEqual(Array.from(t.data));
  });
});

describe('headMask', () => {
  it('gives a shared mask with batch axes a head axis of size 1; a [T, T] or per-head mask is returned as it is', () => {
    const x = randn([2, 3, 5, 8]);
    const shared = new Tensor(
      Float64Array.from({ length: 2 * 3 * 25 }, (_, i) => i % 3),
      [2, 3, 5, 5],
    );
    const reshaped = headMask(x, shared)!;
    expect(reshaped.shape).toEqual([2, 3, 1, 5, 5]);
    expect(Array.from(reshaped.data)).toEqual(Array.from(shared.data));
    const square = ones([5, 5]);
    expect(headMask(x, square)).toBe(square);
    const perHead = ones([2, 3, 4, 5, 5]);
    expect(headMask(x, perHead)).toBe(perHead);
    expect(headMask(x, null)).toBeNull();
    expect(headMask(x, undefined)).toBeNull();
  });

  it('names the caller, the mask and x when the mask has too many axes or is not a tensor', () => {
    expect(() => headMask(randn([5, 8]), ones([1, 2, 5, 5]), 'myAttention')).toThrow(
      new RangeError(
        'myAttention: mask of shape [1, 2, 5, 5] has too many axes for x [5, 8] ([..., H, T, T] at most: one axis more than x)',
      ),
    );
    expect(() => headMask(randn([5, 8]), [1] as never)).toThrow(
      new TypeError('headMask: mask must be a Tensor, got an array of length 1 (wrap arrays with tensor(...))'),
    );
    expect(() => headMask(randn([8]), null)).toThrow(RangeError);
  });
});
