import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, vjp } from '../test/helpers';
import { add } from './add';
import { exp } from './exp';
import { mul } from './mul';

describe('exp', () => {
  it('exp([0, ln 2, −ln 4]) = [1, 2, 1/4], and dX = dY ⊙ Y (by hand)', () => {
    const x = tensor([0, Math.LN2, -2 * Math.LN2], { requiresGrad: true });
    const y = exp(x);
    expectClose(y, [1, 2, 0.25], 1e-15);
    y.backward(tensor([3, 1, 4]));
    expectClose(x.grad!, [3, 2, 1], 1e-15);
  });

  it('exp(−Infinity) = 0 with a zero gradient; a large input overflows to Infinity, as Math.exp', () => {
    const x = tensor([-Infinity, 710], { requiresGrad: true });
    const y = exp(x);
    expectClose(y, [0, Infinity]);
    const [dx] = vjp(y, [x], tensor([2, 1]));
    expect(dx.data[0]).toBe(0);
  });

  it.each([[[2, 3]], [[]], [[3, 1, 2]]])('gradcheck on shape %j', (shape) => {
    expectGradcheck(exp, [normal(shape, 13)]);
  });

  it('turns sums into products: exp(a + b) = exp(a) ⊙ exp(b)', () => {
    fc.assert(
      fc.property(shapeArbitrary(0, 3), seedArbitrary, (shape, seed) => {
        const [a, b] = [normal(shape, seed, false), normal(shape, seed + 1, false)];
        expectClose(exp(add(a, b)), mul(exp(a), exp(b)), 1e-14);
      }),
      PROPERTY_RUNS,
    );
  });
});
