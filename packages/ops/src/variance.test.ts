import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { std, variance } from './variance';

describe('variance and std', () => {
  it('unbiased by default, biased with correction 0 (by hand), over axes with keepdims', () => {
    const x = tensor([
      [1, 2, 3, 4],
      [2, 2, 2, 2],
    ]);
    expectClose(variance(x, 1), [5 / 3, 0], 1e-15);
    expectClose(variance(x, 1, { correction: 0 }), [1.25, 0], 1e-15);
    expectClose(std(x, -1, { correction: 0, keepdims: true }), [[Math.sqrt(1.25)], [0]], 1e-15);
    // all 8 values: mean 2.25, Σ(x − 2.25)² = 5.5
    expectClose(variance(x), 5.5 / 7, 1e-15);
  });

  it('dX = dY·2(X − X̄)/(N − c) (by hand)', () => {
    const x = tensor([1, 2, 6], { requiresGrad: true });
    expectClose(vjp(variance(x), [x], tensor(3))[0], [(3 * (2 * -2)) / 2, (3 * (2 * -1)) / 2, (3 * (2 * 3)) / 2], 1e-15);
  });

  it('N − c ≤ 0 gives Infinity or NaN, as PyTorch; NaN propagates', () => {
    expectClose(variance(tensor([3])), NaN);
    expectClose(variance(tensor([1, 2]), undefined, { correction: 2 }), Infinity);
    expectClose(std(tensor([1, NaN])), NaN);
    expect(() => variance(tensor([1, 2]), 0, { correction: 'one' as never })).toThrow(
      'variance: correction must be a finite number, got one',
    );
  });

  it('gradcheck', () => {
    expectGradcheck((x) => variance(x, 0, { correction: 0 }), [normal([4, 3], 43)]);
    expectGradcheck((x) => std(x, [0, 1]), [normal([2, 3], 44)]);
  });
});
