import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary } from '../test/helpers';
import { reshape } from './reshape';

describe('reshape', () => {
  it('keeps row-major order, and the gradient is read back in the input shape (by hand)', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const y = reshape(x, [3, 2]);
    expectClose(y, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    y.backward(
      tensor([
        [10, 20],
        [30, 40],
        [50, 60],
      ]),
    );
    expectClose(x.grad!, [
      [10, 20, 30],
      [40, 50, 60],
    ]);
  });

  it('infers one -1 dimension, and reshapes to and from a scalar', () => {
    expect(reshape(normal([2, 3, 4], 15, false), [6, -1]).shape).toEqual([6, 4]);
    expect(reshape(normal([2, 3, 4], 15, false), [-1]).shape).toEqual([24]);
    expectClose(reshape(tensor([7]), []), 7);
    expectClose(reshape(tensor(7), [1, 1]), [[7]]);
  });

  it.each([
    [
      [2, 3, 4],
      [6, 4],
    ],
    [
      [2, 3, 4],
      [4, -1],
    ],
    [[6], [1, 2, 3]],
    [[1], []],
  ])('gradcheck reshaping %j to %j', (shape, target) => {
    expectGradcheck((x) => reshape(x, target), [normal(shape, 16)]);
  });

  it('is linear (adjoint identity), and reshaping back restores the tensor', () => {
    const shapes = shapeArbitrary(0, 4).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape, { minLength: shape.length })),
    );
    fc.assert(
      fc.property(shapes, fc.integer({ min: 0, max: 3 }), seedArbitrary, ([shape, shuffled], split, seed) => {
        // The same factors in another order, one of them split off as a leading 1.
        const target = [...shuffled.slice(0, split), 1, ...shuffled.slice(split)];
        const x = normal(shape, seed);
        expectAdjoint((t) => reshape(t, target), [x], seed + 1);
        expectClose(reshape(reshape(x, target), shape), x.detach(), 0);
      }),
      PROPERTY_RUNS,
    );
  });
});
