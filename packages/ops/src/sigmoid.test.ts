import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { sigmoid } from './sigmoid';

describe('sigmoid', () => {
  it('σ(0) = ½, σ(2), and σ(1 − σ) (by hand)', () => {
    const x = tensor([0, 2, -2], { requiresGrad: true });
    const y = sigmoid(x);
    const s = 0.8807970779778823;
    expectClose(y, [0.5, s, 1 - s], 1e-15);
    expectClose(vjp(y, [x], tensor([4, 1, 1]))[0], [1, s * (1 - s), s * (1 - s)], 1e-15);
  });

  it('no overflow at ±800 (0 and 1, zero gradients); NaN gives NaN', () => {
    const x = tensor([-800, 800, NaN], { requiresGrad: true });
    const y = sigmoid(x);
    expect(Array.from(y.data.slice(0, 2))).toEqual([0, 1]);
    expect(y.data[2]).toBeNaN();
    expect(Array.from(vjp(y, [x], tensor([1, 1, 1]))[0].data.slice(0, 2))).toEqual([0, 0]);
  });

  it('gradcheck', () => expectGradcheck(sigmoid, [normal([3, 4], 7)]));
});
