import { broadcastTo, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, reducedAxes, reductionArbitrary, seedArbitrary, vjp } from '../test/helpers';
import { reshape } from './reshape';
import { sum } from './sum';

describe('sum', () => {
  const x = () =>
    tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );

  it('over all axes, one axis, several, with keepdims (by hand)', () => {
    expectClose(sum(x()), 21);
    expectClose(sum(x(), 0), [5, 7, 9]);
    expectClose(sum(x(), -1), [6, 15]);
    expectClose(sum(x(), 1, true), [[6], [15]]);
    expectClose(sum(x(), [0, 1]), 21);
    expectClose(sum(x(), [], false), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(sum(x(), [1, 0], true).shape).toEqual([1, 1]);
  });

  it('each summed element receives the cotangent of its sum (by hand)', () => {
    const input = x();
    sum(input, 0).backward(tensor([1, -2, 3]));
    expectClose(input.grad!, [
      [1, -2, 3],
      [1, -2, 3],
    ]);
    const other = x();
    sum(other).backward();
    expectClose(other.grad!, [
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it.each([
    [[3, 4, 5], undefined, false],
    [[3, 4, 5], 1, false],
    [[3, 4, 5], -1, true],
    [[3, 4, 5], [0, 2], false],
    [[2, 3], [-2], true],
    [[], undefined, false],
  ] as const)('gradcheck on shape %j over axis %j (keepdims %s)', (shape, axis, keepdims) => {
    expectGradcheck((t) => sum(t, axis, keepdims), [normal([...shape], 17)]);
  });

  it('is linear (adjoint identity), and its gradient is the cotangent broadcast back', () => {
    fc.assert(
      fc.property(reductionArbitrary, seedArbitrary, ({ shape, axis, keepdims }, seed) => {
        const input = normal(shape, seed);
        expectAdjoint((t) => sum(t, axis, keepdims), [input], seed + 1);
        const y = sum(input, axis, keepdims);
        const axes = reducedAxes(shape.length, axis);
        expect(y.shape).toEqual(keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i)));
        const c = normal(y.shape, seed + 2, false);
        const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        expectClose(vjp(y, [input], c)[0], broadcastTo(reshape(c, kept), shape), 0);
      }),
      PROPERTY_RUNS,
    );
  });
});
