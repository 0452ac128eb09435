import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, uniform, vjp } from '../test/helpers';
import { mul } from './mul';
import { sqrt } from './sqrt';

describe('sqrt', () => {
  it('sqrt([4, 9, 1/4]) = [2, 3, 1/2], and dX = dY / 2Y (by hand)', () => {
    const x = tensor([4, 9, 0.25], { requiresGrad: true });
    const y = sqrt(x);
    expectClose(y, [2, 3, 0.5]);
    y.backward(tensor([4, 6, 1]));
    expectClose(x.grad!, [4 / 4, 6 / 6, 1 / 1]);
  });

  it('domain: sqrt(0) = 0 with an infinite gradient (as PyTorch); a negative number gives NaN', () => {
    const x = tensor([0, -4], { requiresGrad: true });
    const y = sqrt(x);
    expectClose(y, [0, NaN]);
    const [dx] = vjp(y, [x], tensor([1, 1]));
    expect(dx.data[0]).toBe(Infinity);
    expect(dx.data[1]).toBeNaN();
  });

  it.each([[[2, 3]], [[]], [[1, 4]]])('gradcheck on shape %j (inputs in [0.5, 3])', (shape) => {
    expectGradcheck(sqrt, [uniform(shape, 15, 0.5, 3)]);
  });

  it('squares back: sqrt(x) ⊙ sqrt(x) = x for x ≥ 0', () => {
    fc.assert(
      fc.property(shapeArbitrary(0, 3), seedArbitrary, (shape, seed) => {
        const x = uniform(shape, seed, 0, 10, false);
        const root = sqrt(x);
        expectClose(mul(root, root), x, 1e-15);
      }),
      PROPERTY_RUNS,
    );
  });
});
