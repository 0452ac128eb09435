import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, vjp } from '../test/helpers';
import { scale } from './scale';

describe('scale', () => {
  it('multiplies by a constant, and so does its gradient (by hand)', () => {
    const x = tensor(
      [
        [1, -2],
        [4, 0],
      ],
      { requiresGrad: true },
    );
    const y = scale(x, 0.5);
    expectClose(y, [
      [0.5, -1],
      [2, 0],
    ]);
    y.backward(
      tensor([
        [2, 4],
        [6, 8],
      ]),
    );
    expectClose(x.grad!, [
      [1, 2],
      [3, 4],
    ]);
  });

  it('by 0 gives zeros and a zero gradient', () => {
    const x = normal([3], 16);
    const y = scale(x, 0);
    expectClose(y, [0, 0, 0]);
    expectClose(vjp(y, [x], normal([3], 17, false))[0], [0, 0, 0]);
  });

  it.each([
    [[3, 4], 0.37],
    [[], -2],
    [[2, 1, 3], 1 / Math.sqrt(8)],
  ] as const)('gradcheck on shape %j by %d', (shape, factor) => {
    expectGradcheck((x) => scale(x, factor), [normal([...shape], 18)]);
  });

  it('is linear: adjoint identity for random factors', () => {
    fc.assert(
      fc.property(shapeArbitrary(0, 3), seedArbitrary, fc.double({ min: -10, max: 10, noNaN: true }), (shape, seed, factor) => {
        expectAdjoint((x) => scale(x, factor), [normal(shape, seed)], seed + 1);
      }),
      PROPERTY_RUNS,
    );
  });
});
