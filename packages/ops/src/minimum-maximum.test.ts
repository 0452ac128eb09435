import { broadcastShapes, type DType, gradients, sumToShape, Tensor, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapesArbitrary, leaf, referenceMap, roundTo, sameBits, specialValues } from '../test/broadcast-reference';
import { expectGradcheck } from '../test/check';
import { expectClose, seedArbitrary, vjp } from '../test/helpers';
import { maximum } from './maximum';
import { minimum } from './minimum';

describe('maximum and minimum', () => {
  it('values and gradients: the chosen side gets it, ties ½/½, NaN gives NaN and both sides the gradient (as PyTorch)', () => {
    const a = tensor([NaN, 1, 1, 2], { requiresGrad: true });
    const b = tensor([1, NaN, 1, 1], { requiresGrad: true });
    const c = tensor([1, 2, 3, 4]);
    const upper = maximum(a, b);
    expectClose(upper, [NaN, NaN, 1, 2]);
    const [dA, dB] = vjp(upper, [a, b], c);
    expectClose(dA, [1, 2, 1.5, 4]);
    expectClose(dB, [1, 2, 1.5, 0]);
    const lower = minimum(a, b);
    expectClose(lower, [NaN, NaN, 1, 1]);
    const [eA, eB] = vjp(lower, [a, b], c);
    expectClose(eA, [1, 2, 1.5, 0]);
    expectClose(eB, [1, 2, 1.5, 4]);
  });

  it('broadcast, with a number on either side', () => {
    expectClose(maximum(tensor([[1, 5]]), tensor([[3], [0]])), [
      [3, 5],
      [1, 5],
    ]);
    expectClose(maximum(0, tensor([-1, 2])), [0, 2]);
    expectClose(minimum(tensor([-1, 2]), 0), [-1, 0]);
  });

  it('gradcheck with broadcasting (no ties)', () => {
    const a = tensor(
      [
        [0.3, -1.2, 2],
        [1.1, 0.4, -0.5],
      ],
      { requiresGrad: true },
    );
    const b = tensor([0.1, 0.2, 0.3], { requiresGrad: true });
    expectGradcheck(maximum, [a, b]);
    expectGradcheck(minimum, [a, b]);
  });

  it.each(['float64', 'float32'] as const)(
    '%s, random broadcast shapes: the bits of the per-element definition (ties, NaN, ±∞, −0 against 0)',
    (dtype) => {
      const r = roundTo(dtype);
      /** Values with NaN, ±∞, ±0, and many ties: every other element a small integer. */
      const values = (shape: readonly number[], type: DType, seed: number) => {
        const t = specialValues(shape, type, seed);
        for (let i = 0; i < t.size; i += 2) t.data[i] = Math.round(t.data[i] / 4);
        return t;
      };
      fc.assert(
        fc.property(broadcastShapesArbitrary(2), fc.boolean(), seedArbitrary, ({ shapes: [shapeA, shapeB] }, larger, seed) => {
          const [a, b] = [leaf(values(shapeA, dtype, seed)), leaf(values(shapeB, dtype, seed + 1))];
          const c = larger ? maximum(a, b) : minimum(a, b);
          expect(c.shape).toEqual(broadcastShapes('t', shapeA, shapeB));
          // The winner (NaN if either is); weight 1 to the winner, ½ each at a tie (−0 ties 0), 1 each with a NaN.
          const wins = (x: number, y: number) => (larger ? x > y : x < y);
          const pick = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : wins(x, y) ? x : y);
          const weight = (x: number, y: number) => (wins(y, x) ? 0 : x === y ? 0.5 : 1);
          expect(sameBits(c.data, referenceMap(dtype, c.shape, [a, b], pick))).toBe(true);
          const g = specialValues(c.shape, dtype, seed + 2);
          const [dA, dB] = gradients(c, [a, b], { gradOutput: g });
          const dAFull = new Tensor(
            referenceMap(dtype, c.shape, [a, b, g], (x, y, dc) => r(dc * weight(x, y))),
            c.shape,
          );
          const dBFull = new Tensor(
            referenceMap(dtype, c.shape, [a, b, g], (x, y, dc) => r(dc * weight(y, x))),
            c.shape,
          );
          expect(sameBits(dA.data, sumToShape(dAFull, shapeA).data)).toBe(true);
          expect(sameBits(dB.data, sumToShape(dBFull, shapeB).data)).toBe(true);
        }),
        { seed: 17, numRuns: 300 },
      );
    },
  );
});
