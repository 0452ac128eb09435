import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { erf } from './erf';

describe('erf', () => {
  it('values from Python math.erf and the derivative (2/√π)e^{−x²} (by hand)', () => {
    const x = tensor([0, 1, -2], { requiresGrad: true });
    const y = erf(x);
    expectClose(y, [0, 0.8427007929497149, -0.9953222650189527], 1e-15);
    const c = 2 / Math.sqrt(Math.PI);
    expectClose(vjp(y, [x], tensor([1, 2, 3]))[0], [c, 2 * c * Math.exp(-1), 3 * c * Math.exp(-4)], 1e-15);
  });

  it('NaN gives NaN; ±Infinity give ±1', () => {
    const y = erf(tensor([NaN, Infinity, -Infinity]));
    expect(y.data[0]).toBeNaN();
    expect(Array.from(y.data.slice(1))).toEqual([1, -1]);
  });

  it('gradcheck', () => {
    expectGradcheck(erf, [normal([2, 5], 4)]);
  });
});
