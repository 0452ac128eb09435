import { broadcastShapes } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapesArbitrary, referenceMap, sameBits, specialValues } from '../../test/broadcast-reference';
import { seedArbitrary } from '../../test/helpers';
import { type BinaryKind, binaryKernel } from './elementwise';

const OPS: Record<BinaryKind, (u: number, v: number) => number> = {
  add: (u, v) => u + v,
  sub: (u, v) => u - v,
  mul: (u, v) => u * v,
  div: (u, v) => u / v,
};

describe('binaryKernel: every fast path gives the bits of the per-element general path', () => {
  it.each(['float64', 'float32'] as const)('%s: random broadcast shapes (size-1 axes, empty tensors, NaN, ±∞, −0)', (dtype) => {
    fc.assert(
      fc.property(
        broadcastShapesArbitrary(2),
        fc.constantFrom(...(Object.keys(OPS) as BinaryKind[])),
        seedArbitrary,
        ({ shapes }, op, seed) => {
          const [a, b] = shapes.map((shape, k) => specialValues(shape, dtype, seed + k));
          const out = binaryKernel(op, a, b, ['a', 'b']);
          expect(out.shape).toEqual(broadcastShapes(op, a.shape, b.shape, ['a', 'b']));
          expect(sameBits(out.data, referenceMap(dtype, out.shape, [a, b], OPS[op]))).toBe(true);
        },
      ),
      { seed: 14, numRuns: 400 },
    );
  });

  it.each([
    ['same shape', [3, 5, 17], [3, 5, 17]],
    ['scalar right', [4, 19], []],
    ['scalar left', [], [4, 19]],
    ['one-element operand of higher rank', [1, 1, 1], [9]],
    ['trailing vector', [2, 7, 13], [13]],
    ['row against a stack', [2, 3, 9, 9], [9, 9]],
    ['column', [2, 3, 9, 9], [2, 3, 9, 1]],
    ['outer product', [11, 1], [1, 10]],
    ['empty', [0, 3], [3]],
  ])('%s', (_, shapeA, shapeB) => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const op of Object.keys(OPS) as BinaryKind[]) {
        const a = specialValues(shapeA, dtype, 1);
        const b = specialValues(shapeB, dtype, 2);
        const out = binaryKernel(op, a, b, ['a', 'b']);
        expect(sameBits(out.data, referenceMap(dtype, out.shape, [a, b], OPS[op]))).toBe(true);
      }
    }
  });

  it('propagates a NaN from either side, in every pattern', () => {
    for (const [shapeA, shapeB] of [
      [[20], [20]],
      [[20], []],
      [[4, 5], [5]],
      [
        [4, 5],
        [4, 1],
      ],
    ]) {
      const a = specialValues(shapeA, 'float64', 3);
      const b = specialValues(shapeB, 'float64', 4);
      b.data.fill(Number.NaN);
      for (const op of Object.keys(OPS) as BinaryKind[]) {
        expect(Array.from(binaryKernel(op, a, b, ['a', 'b']).data).every(Number.isNaN)).toBe(true);
        expect(Array.from(binaryKernel(op, b, a, ['b', 'a']).data).every(Number.isNaN)).toBe(true);
      }
    }
  });
});
