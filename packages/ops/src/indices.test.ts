import { allocate, type DType, ones, Tensor, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapesArbitrary, referenceMap, sameBits, specialValues } from '../test/broadcast-reference';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, seedArbitrary, vjp } from '../test/helpers';
import { arange } from './arange';
import { argmax, argmin } from './argmax';
import { eq, ge, gt, le, lt, ne } from './comparison-masks';
import { maskedFill } from './masked-fill';
import { oneHot } from './one-hot';
import { tril, triu } from './tril';
import { where } from './where';

describe('oneHot', () => {
  it('1 at each id, float64 by default or float32', () => {
    const y = oneHot(tensor([[2, 0]], { dtype: 'int32' }), 3);
    expect(y.shape).toEqual([1, 2, 3]);
    expectClose(y, [
      [
        [0, 0, 1],
        [1, 0, 0],
      ],
    ]);
    expect(oneHot(tensor([0], { dtype: 'int32' }), 2, { dtype: 'float32' }).dtype).toBe('float32');
    expect(() => oneHot(tensor([3], { dtype: 'int32' }), 3)).toThrow(
      'oneHot: ids[0] (flat position) is 3, outside [0, 3) for numClasses 3 (ids [1])',
    );
  });
});

describe('argmax and argmin', () => {
  it('int32 positions along an axis or flattened; first occurrence on ties; NaN counts as the extreme (as PyTorch)', () => {
    const x = tensor([
      [1, 5, 5],
      [7, 0, 2],
    ]);
    const i = argmax(x, 1);
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.data)).toEqual([1, 0]);
    expect(Array.from(argmin(x, 0).data)).toEqual([0, 1, 1]);
    expect(argmax(x).item()).toBe(3);
    expect(argmax(x, 1, true).shape).toEqual([2, 1]);
    expect(
      Array.from(
        argmax(
          tensor([
            [1, NaN, 9],
            [3, 2, NaN],
          ]),
          1,
        ).data,
      ),
    ).toEqual([1, 2]);
    expect(Array.from(argmin(tensor([1, NaN, -9])).data)).toEqual([1]);
  });
});

describe('comparisons', () => {
  it('0/1 masks with broadcasting, numbers on either side; NaN compares unequal to all', () => {
    const x = tensor([1, 2, NaN]);
    expectClose(eq(x, 2), [0, 1, 0]);
    expectClose(ne(x, x), [0, 0, 1]);
    expectClose(gt(x, 1), [0, 1, 0]);
    expectClose(ge(x, 1), [1, 1, 0]);
    expectClose(lt(1.5, x), [0, 1, 0]);
    expectClose(le(tensor([[1], [2]]), tensor([1, 2])), [
      [1, 1],
      [0, 1],
    ]);
    expect(eq(tensor([1], { dtype: 'float32' }), 1).dtype).toBe('float32');
    expect(eq(tensor([1], { dtype: 'int32' }), 1).dtype).toBe('float64');
    expect(() => eq(1, 2)).toThrow(/eq: at least one of a and b must be a Tensor/);
  });

  it('masks drive where and maskedFill, and gradients flow through the selected values only', () => {
    const x = tensor([-1, 2, -3], { requiresGrad: true });
    const y = where(gt(x, 0), x, 0);
    expectClose(y, [0, 2, 0]);
    expectClose(vjp(y, [x], tensor([5, 6, 7]))[0], [0, 6, 0]);
    expectClose(maskedFill(x, lt(x, 0), -Infinity), [-Infinity, 2, -Infinity]);
    // A padding mask from int32 ids.
    expectClose(ne(tensor([4, 0, 7], { dtype: 'int32' }), 0), [1, 0, 1]);
  });

  it('random broadcast shapes and dtypes: the bits of the per-element definition (ties, NaN, ±∞, −0 against 0)', () => {
    const comparisons = { eq, ne, gt, ge, lt, le };
    const tests: Record<keyof typeof comparisons, (x: number, y: number) => number> = {
      eq: (x, y) => (x === y ? 1 : 0),
      ne: (x, y) => (x !== y ? 1 : 0),
      gt: (x, y) => (x > y ? 1 : 0),
      ge: (x, y) => (x >= y ? 1 : 0),
      lt: (x, y) => (x < y ? 1 : 0),
      le: (x, y) => (x <= y ? 1 : 0),
    };
    /** Values of `dtype` with NaN, ±∞, ±0 (float) and many ties (every other element a small integer). */
    const values = (shape: readonly number[], dtype: DType, seed: number) => {
      const special = specialValues(shape, 'float64', seed).data;
      const data = allocate(dtype, special.length);
      for (let i = 0; i < data.length; i++) data[i] = i % 2 === 0 || dtype === 'int32' ? Math.round(special[i] / 4) || 0 : special[i];
      return new Tensor(data, shape);
    };
    fc.assert(
      fc.property(
        broadcastShapesArbitrary(2),
        fc.constantFrom(...(Object.keys(comparisons) as (keyof typeof comparisons)[])),
        fc.constantFrom<DType>('float64', 'float32', 'int32'),
        fc.constantFrom<DType>('float64', 'float32', 'int32'),
        seedArbitrary,
        ({ shapes: [shapeA, shapeB] }, op, typeA, typeB, seed) => {
          const [a, b] = [values(shapeA, typeA, seed), values(shapeB, typeB, seed + 1)];
          const mask = comparisons[op](a, b);
          const dtype = typeA !== 'int32' ? typeA : typeB !== 'int32' ? typeB : 'float64';
          expect(mask.dtype).toBe(dtype);
          expect(sameBits(mask.data, referenceMap(dtype, mask.shape, [a, b], tests[op]))).toBe(true);
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });
});

describe('arange', () => {
  it('start, end (excluded) and step; int32 for positions', () => {
    expectClose(arange(4), [0, 1, 2, 3]);
    expectClose(arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    expectClose(arange(5, 0, -2), [5, 3, 1]);
    expect(arange(3, 3).shape).toEqual([0]);
    const positions = arange(0, 3, 1, { dtype: 'int32' });
    expect(positions.dtype).toBe('int32');
    expect(() => arange(0, 1, 0)).toThrow('arange: step must not be 0');
    expect(() => arange(0, 1, 0.5, { dtype: 'int32' })).toThrow(/arange: int32 needs integer start, end and step/);
  });
});

describe('tril and triu', () => {
  it('keep a triangle of the last two axes (by hand); the gradient is masked the same way', () => {
    expectClose(tril(ones([3, 3])), [
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expectClose(triu(ones([2, 3]), 1), [
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expectClose(tril(ones([2, 3]), -1), [
      [0, 0, 0],
      [1, 0, 0],
    ]);
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    expectClose(
      vjp(
        triu(x),
        [x],
        tensor([
          [5, 6],
          [7, 8],
        ]),
      )[0],
      [
        [5, 6],
        [0, 8],
      ],
    );
    expect(() => tril(tensor([1, 2]))).toThrow('tril: x must have at least 2 axes, got shape [2]');
  });

  it('gradcheck', () => {
    expectGradcheck((x) => tril(x), [normal([2, 3, 3], 38)]);
    expectGradcheck((x) => triu(x, 1), [normal([3, 4], 39)]);
  });
});
