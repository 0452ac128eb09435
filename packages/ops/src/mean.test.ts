import { tensor, zeros } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, reducedAxes, reductionArbitrary, seedArbitrary } from '../test/helpers';
import { mean } from './mean';
import { scale } from './scale';
import { sum } from './sum';

describe('mean', () => {
  it('over all axes, one axis, with keepdims (by hand)', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 9],
    ]);
    expectClose(mean(x), 4);
    expectClose(mean(x, 0), [2.5, 3.5, 6]);
    expectClose(mean(x, 1, true), [[2], [6]]);
  });

  it('spreads the cotangent evenly: dX = dY / n (by hand)', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 9],
      ],
      { requiresGrad: true },
    );
    mean(x, 1).backward(tensor([3, -6]));
    expectClose(x.grad!, [
      [1, 1, 1],
      [-2, -2, -2],
    ]);
  });

  it('of an empty axis is NaN, as PyTorch; an empty result stays empty', () => {
    expectClose(mean(zeros([0, 3]), 0), [NaN, NaN, NaN]);
    expectClose(mean(zeros([0, 3])), NaN);
    expect(mean(zeros([0, 3]), 1).shape).toEqual([0]);
  });

  it.each([
    [[3, 4, 5], undefined, false],
    [[3, 4, 5], 1, false],
    [[3, 4, 5], [-1, 0], true],
  ] as const)('gradcheck on shape %j over axis %j (keepdims %s)', (shape, axis, keepdims) => {
    expectGradcheck((t) => mean(t, axis, keepdims), [normal([...shape], 18)]);
  });

  it('is linear (adjoint identity) and equals the sum divided by the count', () => {
    fc.assert(
      fc.property(reductionArbitrary, seedArbitrary, ({ shape, axis, keepdims }, seed) => {
        const x = normal(shape, seed);
        expectAdjoint((t) => mean(t, axis, keepdims), [x], seed + 1);
        const count = reducedAxes(shape.length, axis).reduce((n, a) => n * shape[a], 1);
        expectClose(mean(x, axis, keepdims), scale(sum(x, axis, keepdims), 1 / count).detach(), 1e-15);
      }),
      PROPERTY_RUNS,
    );
  });
});
