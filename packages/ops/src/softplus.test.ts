import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { softplus } from './softplus';

describe('softplus', () => {
  it('log(1 + e^x) and σ(βx) (by hand)', () => {
    const x = tensor([0, 2], { requiresGrad: true });
    const y = softplus(x, { beta: 1.5 });
    expectClose(y, [Math.LN2 / 1.5, 2.032391567715828], 1e-15);
    expectClose(vjp(y, [x], tensor([2, 1]))[0], [1, 1 / (1 + Math.exp(-3))], 1e-15);
    expectClose(softplus(tensor([0])), [Math.LN2], 1e-15);
  });

  it('no overflow for large inputs; −∞ gives 0; NaN gives NaN', () => {
    const y = softplus(tensor([1000, -1000, -Infinity, NaN]));
    expect(Array.from(y.data.slice(0, 3))).toEqual([1000, 0, 0]);
    expect(y.data[3]).toBeNaN();
  });

  it('rejects a non-positive beta, naming it', () => {
    expect(() => softplus(tensor([1]), { beta: 0 })).toThrow('softplus: beta must be positive, got 0');
  });

  it('gradcheck', () => expectGradcheck((x) => softplus(x), [normal([3, 4], 8)]));
});
