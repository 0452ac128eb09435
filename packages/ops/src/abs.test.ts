import { tensor } from '@attograd/tensor';
import { describe, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { abs } from './abs';

describe('abs', () => {
  it('|x| with sign(x)·dY, gradient 0 at 0 and at NaN (as PyTorch) (by hand)', () => {
    const x = tensor([-3, 0, 2, NaN], { requiresGrad: true });
    const y = abs(x);
    expectClose(y, [3, 0, 2, NaN]);
    expectClose(vjp(y, [x], tensor([5, 6, 7, 8]))[0], [-5, 0, 7, 0]);
  });

  it('gradcheck away from 0', () => {
    const x = normal([3, 4], 16, false);
    expectGradcheck(abs, [
      tensor(
        Float64Array.from(x.data, (v) => v + 0.1 * Math.sign(v)),
        { shape: [3, 4], requiresGrad: true },
      ),
    ]);
  });
});
