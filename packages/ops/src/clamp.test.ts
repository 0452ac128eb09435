import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, vjp } from '../test/helpers';
import { clamp } from './clamp';

describe('clamp', () => {
  it('limits to [low, high]; the gradient is 1 on the closed interval, 0 outside and at NaN (as PyTorch)', () => {
    const x = tensor([NaN, -1, 1, 0, 2, -2], { requiresGrad: true });
    const y = clamp(x, -1, 1);
    expectClose(y, [NaN, -1, 1, 0, 1, -1]);
    expectClose(vjp(y, [x], tensor([1, 2, 3, 4, 5, 6]))[0], [0, 2, 3, 4, 0, 0]);
  });

  it('one-sided bounds, and low > high gives high everywhere with zero gradient (as PyTorch)', () => {
    expectClose(clamp(tensor([-2, 3]), undefined, 1), [-2, 1]);
    expectClose(clamp(tensor([-2, 3]), 0), [0, 3]);
    const x = tensor([NaN, -1, 0, 2], { requiresGrad: true });
    const y = clamp(x, 1, -1);
    expectClose(y, [NaN, -1, -1, -1]);
    expectClose(vjp(y, [x], tensor([1, 1, 1, 1]))[0], [0, 0, 0, 0]);
  });

  it('rejects a call without bounds and a NaN bound', () => {
    expect(() => clamp(tensor([1]))).toThrow('clamp: at least one of low and high must be given');
    expect(() => clamp(tensor([1]), NaN)).toThrow(/clamp: low must be a finite number/);
  });

  it('gradcheck away from the bounds', () => {
    expectGradcheck(
      (x) => clamp(x, -0.5, 0.5),
      [
        tensor(
          [
            [-1.2, -0.3, 0.1],
            [0.45, 0.9, -0.7],
          ],
          { requiresGrad: true },
        ),
      ],
    );
  });
});
