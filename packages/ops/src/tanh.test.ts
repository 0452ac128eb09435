import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { tanh } from './tanh';

describe('tanh', () => {
  it('tanh(0.5) and 1 − tanh² (by hand); saturates without overflow', () => {
    const x = tensor([0, 0.5, 400], { requiresGrad: true });
    const y = tanh(x);
    const t = 0.46211715726000974;
    expectClose(y, [0, t, 1], 1e-15);
    expectClose(vjp(y, [x], tensor([3, 2, 1]))[0], [3, 2 * (1 - t * t), 0], 1e-15);
    expect(tanh(tensor([NaN])).data[0]).toBeNaN();
  });

  it('gradcheck', () => expectGradcheck(tanh, [normal([3, 4], 6)]));
});
