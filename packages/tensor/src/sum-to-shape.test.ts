import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type DType } from './dtype';
import { broadcastTo, sumToShape } from './primitives';
import { broadcastIndex, sizeOf } from './shape';
import { Tensor } from './tensor';

/** The general path: every element of x added, in order, onto the sum its broadcast index names. */
function referenceSum(x: Tensor, shape: readonly number[]): { sums: Float64Array; magnitudes: Float64Array } {
  const sums = new Float64Array(sizeOf(shape));
  const magnitudes = new Float64Array(sums.length);
  const index = broadcastIndex(shape, x.shape);
  for (let i = 0; i < x.size; i++) {
    sums[index[i]] += x.data[i];
    magnitudes[index[i]] += Math.abs(x.data[i]);
  }
  return { sums, magnitudes };
}

/** A seeded tensor with NaN, ±∞ and zeros sprinkled among values in (−5, 5). */
function values(shape: readonly number[], dtype: DType, seed: number, specials: boolean): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const special = [Number.NaN, Infinity, -Infinity, 0];
  for (let i = 0; i < data.length; i++) data[i] = specials && next() < 0.05 ? special[Math.floor(next() * 4)] : (next() - 0.5) * 10;
  return new Tensor(data, shape);
}

/** A full shape (dimensions 0–11 and 64, rank ≤ 4) and a shape that broadcasts to it. */
const pairs = fc
  .array(fc.oneof(fc.integer({ min: 1, max: 11 }), fc.constantFrom(0, 1, 64)), { minLength: 0, maxLength: 4 })
  .filter((full) => sizeOf(full) <= 8192)
  .chain((full) =>
    fc
      .record({
        dropped: fc.integer({ min: 0, max: full.length }),
        ones: fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      })
      .map(({ dropped, ones }) => ({ full, shape: full.map((d, axis) => (ones[axis] ? 1 : d)).slice(dropped) })),
  );

describe('sumToShape: the block loops against the per-element general path', () => {
  it.each(['float64', 'float32'] as const)('%s: same sums (up to summation order), NaN and ±∞ in the same places', (dtype) => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 2 ** 30 }), fc.boolean(), ({ full, shape }, seed, specials) => {
        const x = values(full, dtype, seed, specials);
        const out = sumToShape(x, shape);
        expect(out.shape).toEqual(shape);
        expect(out.dtype).toBe(dtype);
        const { sums, magnitudes } = referenceSum(x, shape);
        const ulp = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
        for (let i = 0; i < sums.length; i++) {
          if (!Number.isFinite(sums[i])) expect(out.data[i]).toBe(sums[i]);
          else expect(Math.abs(out.data[i] - sums[i])).toBeLessThanOrEqual(ulp * Math.abs(sums[i]) + 64 * 2 ** -52 * magnitudes[i]);
        }
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  it('sums a scalar, a trailing vector, a [T, T] block and a column exactly on integers', () => {
    for (const [full, shape] of [
      [[5, 7, 13], []],
      [[5, 7, 13], [13]],
      [
        [2, 3, 9, 9],
        [9, 9],
      ],
      [
        [2, 3, 9, 9],
        [2, 3, 9, 1],
      ],
      [[0, 4], [4]],
    ]) {
      for (const dtype of ['float64', 'float32'] as const) {
        const x = new Tensor(
          allocate(dtype, sizeOf(full)).map((_, i) => (i % 17) - 8),
          full,
        );
        expect(Array.from(sumToShape(x, shape).data)).toEqual(Array.from(referenceSum(x, shape).sums));
      }
    }
  });

  it('is the adjoint of broadcastTo: ⟨broadcastTo(u), v⟩ = ⟨u, sumToShape(v)⟩', () => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 2 ** 30 }), ({ full, shape }, seed) => {
        const u = values(shape, 'float64', seed, false);
        const v = values(full, 'float64', seed + 1, false);
        const left = Array.from(broadcastTo(u, full).data).reduce((total, value, i) => total + value * v.data[i], 0);
        const right = Array.from(sumToShape(v, shape).data).reduce((total, value, i) => total + value * u.data[i], 0);
        expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(left)));
      }),
      { seed: 15, numRuns: 100 },
    );
  });
});

describe('broadcastTo: the block copies against the per-element general path', () => {
  it.each(['float64', 'float32'] as const)('%s: the element each position reads is the one broadcastIndex names', (dtype) => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 2 ** 30 }), ({ full, shape }, seed) => {
        const x = values(shape, dtype, seed, true);
        const out = broadcastTo(x, full);
        const index = broadcastIndex(shape, full);
        expect(out.shape).toEqual(full);
        expect(Array.from(out.data)).toEqual(Array.from(index, (i) => x.data[i]));
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});
