import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastPlan } from './broadcast-plan';
import { broadcastIndex, broadcastShapes } from './shape';

/** The flat source index of every output element, read back from a plan. */
function indexFromPlan(shape: readonly number[], out: readonly number[]): number[] {
  const { outer, inner, offsets, innerStrides } = broadcastPlan([shape], out);
  const index: number[] = [];
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) index.push(offsets[0][o] + j * innerStrides[0]);
  return index;
}

describe('broadcastPlan', () => {
  it('merges the common patterns into few blocks', () => {
    const bias = broadcastPlan([[4, 8, 16], [16]], [4, 8, 16]);
    expect([bias.outer, bias.inner, bias.innerStrides]).toEqual([32, 16, [1, 1]]);
    expect(Array.from(bias.offsets[1].slice(0, 3))).toEqual([0, 0, 0]);
    const mask = broadcastPlan(
      [
        [2, 3, 5, 5],
        [5, 5],
      ],
      [2, 3, 5, 5],
    );
    expect([mask.outer, mask.inner]).toEqual([6, 25]);
    const scalar = broadcastPlan([[2, 3], []], [2, 3]);
    expect([scalar.outer, scalar.inner, scalar.innerStrides]).toEqual([1, 6, [1, 0]]);
    const column = broadcastPlan([[4, 1]], [4, 6]);
    expect([column.outer, column.inner, column.innerStrides, Array.from(column.offsets[0])]).toEqual([4, 6, [0], [0, 1, 2, 3]]);
  });

  it('reads the same elements as broadcastIndex for any broadcastable pair of shapes', () => {
    const dims = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
    fc.assert(
      fc.property(dims, fc.array(fc.boolean(), { maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (out, ones, drop) => {
        const shape = out.slice(Math.min(drop, out.length)).map((dim, i) => (ones[i] ? 1 : dim));
        expect(broadcastShapes('test', shape, out)).toEqual(out);
        expect(indexFromPlan(shape, out)).toEqual(Array.from(broadcastIndex(shape, out)));
      }),
      { numRuns: 500 },
    );
  });
});
