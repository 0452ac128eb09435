import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { square } from './square';

describe('square', () => {
  it('x² and 2x·dY (by hand); NaN stays NaN', () => {
    const x = tensor([-3, 0.5], { requiresGrad: true });
    const y = square(x);
    expectClose(y, [9, 0.25]);
    expectClose(vjp(y, [x], tensor([1, 4]))[0], [-6, 4]);
    expect(square(tensor([NaN])).data[0]).toBeNaN();
  });

  it('gradcheck', () => expectGradcheck(square, [normal([3, 2], 15)]));
});
