import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary } from '../test/helpers';
import { neg } from './neg';

describe('neg', () => {
  it('negates, and so does its gradient (by hand)', () => {
    const x = tensor(
      [
        [1, -2],
        [0, 3.5],
      ],
      { requiresGrad: true },
    );
    const y = neg(x);
    expectClose(y, [
      [-1, 2],
      [-0, -3.5],
    ]);
    y.backward(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expectClose(x.grad!, [
      [-1, -2],
      [-3, -4],
    ]);
  });

  it.each([[[2, 3]], [[]], [[2, 1, 4]]])('gradcheck on shape %j', (shape) => {
    expectGradcheck(neg, [normal(shape, 12)]);
  });

  it('is linear (adjoint identity) and its own inverse', () => {
    fc.assert(
      fc.property(shapeArbitrary(0, 3), seedArbitrary, (shape, seed) => {
        const x = normal(shape, seed);
        expectAdjoint(neg, [x], seed + 1);
        expectClose(neg(neg(x)), x.detach(), 0);
      }),
      PROPERTY_RUNS,
    );
  });
});
