import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, permutationArbitrary, PROPERTY_RUNS, seedArbitrary, shapeArbitrary } from '../test/helpers';
import { permute } from './permute';

describe('permute', () => {
  it('moves axis dims[i] of x to axis i, and the gradient moves it back (by hand)', () => {
    const x = tensor(
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ],
      { requiresGrad: true },
    ); // [1, 2, 3]
    const y = permute(x, [2, 0, 1]); // y[k][0][j] = x[0][j][k]
    expectClose(y, [[[1, 4]], [[2, 5]], [[3, 6]]]);
    y.backward(tensor([[[10, 40]], [[20, 50]], [[30, 60]]]));
    expectClose(x.grad!, [
      [
        [10, 20, 30],
        [40, 50, 60],
      ],
    ]);
  });

  it('negative axes count from the end', () => {
    const x = normal([2, 3, 4], 13, false);
    expectClose(permute(x, [-1, 0, -2]), permute(x, [2, 0, 1]), 0);
  });

  it.each([
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [1, 2, 0],
    ],
    [
      [3, 2],
      [1, 0],
    ],
    [
      [2, 1, 3, 2],
      [3, 1, 0, 2],
    ],
  ])('gradcheck on shape %j permuted by %j', (shape, dims) => {
    expectGradcheck((x) => permute(x, dims), [normal(shape, 14)]);
  });

  const shapeAndDims = shapeArbitrary(1, 4).chain((shape) => fc.tuple(fc.constant(shape), permutationArbitrary(shape.length)));

  it('followed by the inverse permutation is the identity', () => {
    fc.assert(
      fc.property(shapeAndDims, seedArbitrary, ([shape, dims], seed) => {
        const x = normal(shape, seed, false);
        const inverse = dims.map((_, i) => dims.indexOf(i));
        const y = permute(x, dims);
        expect(y.shape).toEqual(dims.map((axis) => shape[axis]));
        expectClose(permute(y, inverse), x, 0);
      }),
      PROPERTY_RUNS,
    );
  });

  it('is linear: adjoint identity', () => {
    fc.assert(
      fc.property(shapeAndDims, seedArbitrary, ([shape, dims], seed) => {
        expectAdjoint((x) => permute(x, dims), [normal(shape, seed)], seed + 1);
      }),
      PROPERTY_RUNS,
    );
  });
});
