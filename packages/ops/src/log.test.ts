import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, uniform, vjp } from '../test/helpers';
import { exp } from './exp';
import { log } from './log';

describe('log', () => {
  it('log([1, e, e⁻²]) = [0, 1, −2], and dX = dY / X (by hand)', () => {
    const x = tensor([1, Math.E, Math.exp(-2)], { requiresGrad: true });
    const y = log(x);
    expectClose(y, [0, 1, -2], 1e-15);
    y.backward(tensor([2, Math.E, 1]));
    expectClose(x.grad!, [2, 1, Math.exp(2)], 1e-15);
  });

  it('domain: log(0) = −Infinity with an infinite gradient; log of a negative number is NaN', () => {
    const x = tensor([0, -1, Infinity], { requiresGrad: true });
    const y = log(x);
    expectClose(y, [-Infinity, NaN, Infinity]);
    const [dx] = vjp(y, [x], tensor([1, 1, 1]));
    expect(dx.data[0]).toBe(Infinity);
    expect(dx.data[1]).toBe(-1);
    expect(dx.data[2]).toBe(0);
  });

  it.each([[[2, 3]], [[]], [[4, 1]]])('gradcheck on shape %j (inputs in [0.5, 3])', (shape) => {
    expectGradcheck(log, [uniform(shape, 14, 0.5, 3)]);
  });

  it('undoes exp: log(exp(x)) = x, and its gradient is the cotangent itself', () => {
    fc.assert(
      fc.property(shapeArbitrary(0, 3), seedArbitrary, (shape, seed) => {
        const x = normal(shape, seed);
        const y = log(exp(x));
        expectClose(y, x.detach(), 1e-14);
        const c = normal(shape, seed + 1, false);
        expectClose(vjp(y, [x], c)[0], c, 1e-14);
      }),
      PROPERTY_RUNS,
    );
  });
});
