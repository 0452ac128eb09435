import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary } from '../test/helpers';
import { transpose } from './transpose';

describe('transpose', () => {
  it('swaps the last two axes, and the gradient swaps them back (by hand)', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const y = transpose(x);
    expectClose(y, [
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    y.backward(
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    expectClose(x.grad!, [
      [1, 3, 5],
      [2, 4, 6],
    ]);
  });

  it('swaps any two axes: transpose(x, 0, 2) of a [2, 1, 2] tensor (by hand)', () => {
    const x = tensor([[[1, 2]], [[3, 4]]]);
    expectClose(transpose(x, 0, 2), [[[1, 3]], [[2, 4]]]);
    expectClose(transpose(x, -1, 0), [[[1, 3]], [[2, 4]]]);
  });

  it.each([
    [[3, 4], -2, -1],
    [[2, 3, 4], -2, -1],
    [[2, 3, 4], 0, 2],
    [[2, 3, 1, 2], 1, 3],
  ] as const)('gradcheck on shape %j swapping %d and %d', (shape, dim0, dim1) => {
    expectGradcheck((x) => transpose(x, dim0, dim1), [normal([...shape], 12)]);
  });

  const rankAndAxes = shapeArbitrary(2, 4).chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.integer({ min: -shape.length, max: shape.length - 1 }),
      fc.integer({ min: -shape.length, max: shape.length - 1 }),
    ),
  );

  it('twice is the identity', () => {
    fc.assert(
      fc.property(rankAndAxes, seedArbitrary, ([shape, dim0, dim1], seed) => {
        const x = normal(shape, seed, false);
        const twice = transpose(transpose(x, dim0, dim1), dim0, dim1);
        expect(twice.shape).toEqual(shape);
        expectClose(twice, x, 0);
      }),
      PROPERTY_RUNS,
    );
  });

  it('is linear: adjoint identity', () => {
    fc.assert(
      fc.property(rankAndAxes, seedArbitrary, ([shape, dim0, dim1], seed) => {
        expectAdjoint((x) => transpose(x, dim0, dim1), [normal(shape, seed)], seed + 1);
      }),
      PROPERTY_RUNS,
    );
  });
});
