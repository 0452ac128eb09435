import { broadcastIndex, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { distinct, expectClose, normal, PROPERTY_RUNS, reducedAxes, reductionArbitrary, seedArbitrary, vjp } from '../test/helpers';
import { max } from './max';
import { sum } from './sum';

describe('max', () => {
  it('over an axis; the gradient goes to the maximum, split evenly among ties (by hand)', () => {
    const x = tensor(
      [
        [1, 5, 2],
        [7, 3, 7],
      ],
      { requiresGrad: true },
    );
    const y = max(x, 1);
    expectClose(y, [5, 7]);
    y.backward(tensor([2, 4]));
    expectClose(x.grad!, [
      [0, 2, 0],
      [2, 0, 2],
    ]);
  });

  it('over all axes: three tied maxima get a third each (by hand)', () => {
    const x = tensor(
      [
        [3, -1],
        [3, 3],
      ],
      { requiresGrad: true },
    );
    const y = max(x);
    expectClose(y, 3);
    y.backward(tensor(6));
    expectClose(x.grad!, [
      [2, 0],
      [2, 2],
    ]);
  });

  it('rows holding −Infinity, and NaN, which propagates', () => {
    expectClose(
      max(
        tensor([
          [-Infinity, -2],
          [-Infinity, -Infinity],
        ]),
        -1,
      ),
      [-2, -Infinity],
    );
    expectClose(max(tensor([1, NaN, 3])), NaN);
  });

  it.each([
    [[3, 4, 5], undefined, false],
    [[3, 4, 5], 1, false],
    [[3, 4, 5], -1, true],
    [[3, 4, 5], [0, 2], false],
  ] as const)('gradcheck on shape %j over axis %j (keepdims %s), distinct values', (shape, axis, keepdims) => {
    expectGradcheck((t) => max(t, axis, keepdims), [distinct([...shape], 19)]);
  });

  it('bounds every element and is attained; the gradient of each group sums to its cotangent', () => {
    fc.assert(
      fc.property(reductionArbitrary, seedArbitrary, fc.boolean(), ({ shape, axis, keepdims }, seed, ties) => {
        // With ties: values rounded to integers in [-2, 2], so groups often share their maximum.
        const x = ties
          ? tensor(Float64Array.from(normal(shape, seed, false).data, Math.round), { shape, requiresGrad: true })
          : normal(shape, seed);
        const y = max(x, axis, keepdims);
        const c = normal(y.shape, seed + 1, false);
        const [dx] = vjp(y, [x], c);
        expect(dx.shape).toEqual(shape);
        const axes = reducedAxes(shape.length, axis);
        expectClose(sum(dx, axes, keepdims), c, 1e-14);
        // The maximum bounds its group and is attained in it; gradient flows only to maximal elements.
        const kept = max(x.detach(), axis, true);
        const group = broadcastIndex(kept.shape, shape);
        const attained = new Array<boolean>(kept.size).fill(false);
        for (let i = 0; i < x.size; i++) {
          const top = kept.data[group[i]];
          expect(x.data[i]).toBeLessThanOrEqual(top);
          if (x.data[i] === top) attained[group[i]] = true;
          else expect(dx.data[i] === 0, `gradient at non-maximal element ${i}`).toBe(true);
        }
        expect(attained.every(Boolean)).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });
});
