import { allocate, broadcastShapes, type DType, gradients, sumToShape, Tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapesArbitrary, referenceMap, sameBits, specialValues } from '../test/broadcast-reference';
import { seedArbitrary } from '../test/helpers';
import { maskedFill } from './masked-fill';
import { where } from './where';

/** A condition of `dtype`: zeros and nonzeros (NaN counts as nonzero), in runs or scattered. */
function condition(shape: readonly number[], dtype: DType, seed: number, runs: boolean): Tensor {
  const values = specialValues(shape, 'float64', seed).data;
  const data = allocate(dtype, values.length);
  for (let i = 0; i < data.length; i++) {
    const v = values[i];
    data[i] = runs ? (Math.floor(i / 7) % 2 === 0 ? 1 : 0) : dtype === 'int32' ? (v > 0 ? 3 : 0) : v > 0 ? v : v < -4 ? Number.NaN : 0;
  }
  return new Tensor(data, shape);
}

const pick = (c: number, u: number, v: number) => (c !== 0 ? u : v);

describe('where: the block loops give the bits of the per-element general path', () => {
  it.each(['float64', 'float32'] as const)('%s values, float64/float32/int32 conditions, random broadcast shapes', (dtype) => {
    fc.assert(
      fc.property(
        broadcastShapesArbitrary(3),
        fc.constantFrom<DType>('float64', 'float32', 'int32'),
        fc.boolean(),
        seedArbitrary,
        ({ shapes: [shapeC, shapeA, shapeB] }, conditionType, runs, seed) => {
          const c = condition(shapeC, conditionType, seed, runs);
          const a = specialValues(shapeA, dtype, seed + 1);
          const b = specialValues(shapeB, dtype, seed + 2);
          const y = where(c, a, b);
          expect(y.shape).toEqual(broadcastShapes('t', broadcastShapes('t', shapeC, shapeA), shapeB));
          expect(sameBits(y.data, referenceMap(dtype, y.shape, [c, a, b], pick))).toBe(true);
        },
      ),
      { seed: 14, numRuns: 400 },
    );
  });

  it('a causal mask against a stack of score blocks, with numbers on either side (forward and both gradients)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const T = 13;
      const mask = new Tensor(
        Float64Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? 1 : 0)),
        [T, T],
      );
      const scores = specialValues([2, 3, T, T], dtype, 5);
      const filled = maskedFill(scores, mask, -1e9);
      expect(
        sameBits(
          filled.data,
          referenceMap(dtype, filled.shape, [mask, scores], (c, s) => (c !== 0 ? -1e9 : s)),
        ),
      ).toBe(true);
      const kept = where(mask, scores, -Infinity);
      expect(
        sameBits(
          kept.data,
          referenceMap(dtype, kept.shape, [mask, scores], (c, s) => (c !== 0 ? s : -Infinity)),
        ),
      ).toBe(true);
      const x = new Tensor(scores.data.slice(), scores.shape, { requiresGrad: true });
      const z = new Tensor(specialValues([T, 1], dtype, 6).data, [T, 1], { requiresGrad: true });
      const cotangent = specialValues([2, 3, T, T], dtype, 7);
      where(mask, x, z).backward(cotangent);
      expect(
        sameBits(
          x.grad!.data,
          referenceMap(dtype, x.shape, [mask, cotangent], (c, g) => (c !== 0 ? g : 0)),
        ),
      ).toBe(true);
      const dz = allocate(dtype, T);
      for (let i = 0; i < cotangent.size; i++) if (mask.data[i % (T * T)] === 0) dz[Math.floor(i / T) % T] += cotangent.data[i];
      expect(
        Array.from(z.grad!.data).map((v, i) => Object.is(v, dz[i]) || Math.abs(v - dz[i]) <= 1e-5 * (1 + Math.abs(dz[i]))),
      ).not.toContain(false);
    }
  });
  it.each(['float64', 'float32'] as const)(
    '%s: both gradients, and the gradients of the recorded backward, give the bits of the definition (random broadcast shapes)',
    (dtype) => {
      fc.assert(
        fc.property(
          broadcastShapesArbitrary(3),
          fc.constantFrom<DType>('float64', 'float32', 'int32'),
          fc.boolean(),
          seedArbitrary,
          ({ shapes: [shapeC, shapeA, shapeB] }, conditionType, runs, seed) => {
            const c = condition(shapeC, conditionType, seed, runs);
            const a = new Tensor(specialValues(shapeA, dtype, seed + 1).data, shapeA, { requiresGrad: true });
            const b = new Tensor(specialValues(shapeB, dtype, seed + 2).data, shapeB, { requiresGrad: true });
            const y = where(c, a, b);
            const g = new Tensor(specialValues(y.shape, dtype, seed + 3).data, y.shape, { requiresGrad: true });
            // First order: dA = sum to a's shape of where(c, g, 0), dB likewise of where(c, 0, g).
            const [dA, dB] = gradients(y, [a, b], { gradOutput: g, createGraph: true });
            const chosen = new Tensor(
              referenceMap(dtype, y.shape, [c, g], (m, v) => pick(m, v, 0)),
              y.shape,
            );
            const other = new Tensor(
              referenceMap(dtype, y.shape, [c, g], (m, v) => pick(m, 0, v)),
              y.shape,
            );
            expect(sameBits(dA.data, sumToShape(chosen, shapeA).data)).toBe(true);
            expect(sameBits(dB.data, sumToShape(other, shapeB).data)).toBe(true);
            // Second order: the recorded backward is where again, so d⟨dA, r⟩/dg = where(c, r, 0).
            const r = specialValues(shapeA, dtype, seed + 4);
            const s = specialValues(shapeB, dtype, seed + 5);
            const [dgA] = gradients(dA, [g], { gradOutput: r });
            const [dgB] = gradients(dB, [g], { gradOutput: s });
            expect(
              sameBits(
                dgA.data,
                referenceMap(dtype, y.shape, [c, r], (m, v) => pick(m, v, 0)),
              ),
            ).toBe(true);
            expect(
              sameBits(
                dgB.data,
                referenceMap(dtype, y.shape, [c, s], (m, v) => pick(m, 0, v)),
              ),
            ).toBe(true);
          },
        ),
        { seed: 15, numRuns: 200 },
      );
    },
  );
});
