import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { relu } from './relu';

describe('relu', () => {
  it('max(x, 0) with the subgradient 0 at 0 (by hand)', () => {
    const x = tensor([-2, 0, 3, -0.5], { requiresGrad: true });
    const y = relu(x);
    expectClose(y, [0, 0, 3, 0]);
    expectClose(vjp(y, [x], tensor([5, 6, 7, 8]))[0], [0, 0, 7, 0]);
  });

  it('NaN stays NaN and passes its gradient through; −0 stays −0 (as torch.relu)', () => {
    const x = tensor([NaN, -0, -Infinity, Infinity], { requiresGrad: true });
    const y = relu(x);
    expect(y.data[0]).toBeNaN();
    expect(Object.is(y.data[1], -0)).toBe(true);
    expect(Array.from(y.data.slice(2))).toEqual([0, Infinity]);
    expectClose(vjp(y, [x], tensor([2, 3, 4, 5]))[0], [2, 0, 0, 5]);
  });

  it('gradcheck on values away from 0', () => {
    expectGradcheck(relu, [
      tensor(
        Float64Array.from(normal([3, 4], 3, false).data, (v) => v + Math.sign(v) * 0.1),
        { shape: [3, 4], requiresGrad: true },
      ),
    ]);
  });
});
