import { allocationStats, broadcastShapes, setBufferPoolLimit, type Tensor, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapesArbitrary, poisonPool, referenceMap, sameBits, specialValues } from '../../test/broadcast-reference';
import { where } from '../where';
import { seedArbitrary } from '../../test/helpers';
import { type BinaryKind, binaryKernel, type UnaryKind, unaryKernel } from './elementwise';

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

describe('kernels that write every element: a reused, unzeroed pool buffer gives the bits of a fresh one', () => {
  /** The output of `run` with the pool off, then with the pool holding NaN-filled buffers of the output's size. */
  function freshAndPooled(dtype: 'float64' | 'float32', size: number, run: () => Tensor): [Tensor, Tensor] {
    setBufferPoolLimit(0); // off, and empty
    const fresh = run();
    setBufferPoolLimit(64 * 2 ** 20);
    poisonPool(dtype, size);
    const reuses = allocationStats().reuses;
    const pooled = run();
    expect(allocationStats().reuses).toBeGreaterThan(reuses); // the pool path was taken
    return [fresh, pooled];
  }

  const patterns: Array<[string, number[], number[]]> = [
    ['same shape', [4, 300], [4, 300]],
    ['scalar right', [1201], []],
    ['scalar left', [], [1201]],
    ['trailing vector', [3, 20, 41], [41]],
    ['row against a stack', [2, 3, 17, 17], [17, 17]],
    ['column', [2, 3, 17, 17], [2, 3, 17, 1]],
    ['outer product', [41, 1], [1, 40]],
    ['a block and a column', [3, 1, 450], [3, 2, 1]],
  ];

  it.each(patterns)('binaryKernel, %s', (_, shapeA, shapeB) => {
    for (const dtype of ['float64', 'float32'] as const) {
      const a = specialValues(shapeA, dtype, 11);
      const b = specialValues(shapeB, dtype, 12);
      const size = broadcastShapes('t', shapeA, shapeB).reduce((p, q) => p * q, 1);
      for (const op of Object.keys(OPS) as BinaryKind[]) {
        const [fresh, pooled] = freshAndPooled(dtype, size, () => binaryKernel(op, a, b, ['a', 'b']));
        expect(sameBits(pooled.data, fresh.data)).toBe(true);
      }
      // where, with a condition of each pattern too (the byte-mask loops and the per-element path).
      const condition = specialValues(shapeB, 'float64', 13);
      for (const [x, y] of [
        [a, b],
        [a, tensor(0, { dtype })],
        [tensor(-1, { dtype }), a],
      ]) {
        const [fresh, pooled] = freshAndPooled(dtype, size, () => where(condition, x, y));
        expect(sameBits(pooled.data, fresh.data)).toBe(true);
      }
    }
  });

  it('unaryKernel', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = specialValues([3, 500], dtype, 14);
      for (const op of ['neg', 'exp', 'log', 'sqrt'] as UnaryKind[]) {
        const [fresh, pooled] = freshAndPooled(dtype, x.size, () => unaryKernel(op, x));
        expect(sameBits(pooled.data, fresh.data)).toBe(true);
      }
    }
  });
});
