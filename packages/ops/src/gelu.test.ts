import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { erf } from './erf';
import { exp } from './exp';
import { gelu } from './gelu';

describe('gelu', () => {
  it('x·Φ(x) and Φ(x) + x·φ(x), values from Python math.erf (by hand)', () => {
    const x = tensor([-1, 1, 2], { requiresGrad: true });
    const y = gelu(x);
    expectClose(y, [-0.15865525393145707, 0.8413447460685429, 1.9544997361036416], 1e-15);
    expectClose(vjp(y, [x], tensor([1, 2, 3]))[0], [-0.08331547058768629, 2 * 1.0833154705876864, 3 * 1.085231801078197], 1e-15);
  });

  it('keeps relative accuracy in the far negative tail (Φ from erfc, not 1 + erf)', () => {
    // −10·½erfc(10/√2) from Python's math.erfc; 1 + erf(−7.07) would round to 0.
    const y = gelu(tensor([-10, -40]));
    const expected = -7.619853024160593e-23;
    // The rounding of x/√2 (relative ε) is magnified by 2·(x/√2)² = 100 through e^{−x²/2}: ~2e-14.
    expect(Math.abs(y.data[0] - expected) / Math.abs(expected)).toBeLessThan(5e-14);
    expect(y.data[1]).toBe(-0);
  });

  it('the fused backward equals Φ(x) + x·φ(x) composed from the erf and exp ops, x in [−30, 30], random cotangent', () => {
    const xs = [-30, -12, -6, -4.2, -4, -1, -0.66, -0.5, -1e-8, 0, 3e-9, 0.4, 0.66, 1, 2.5, 5.65, 5.66, 8, 30];
    const x = tensor(xs, { requiresGrad: true });
    const cotangent = normal([xs.length], 11, false);
    const [dX] = vjp(gelu(x), [x], cotangent);
    xs.forEach((v, i) => {
      const cdf = 0.5 * (1 + erf(tensor([v / Math.SQRT2])).data[0]);
      const density = exp(tensor([-0.5 * v * v])).data[0] / Math.sqrt(2 * Math.PI);
      const expected = cotangent.data[i] * (cdf + v * density);
      expect(Math.abs(dX.data[i] - expected), `x = ${v}`).toBeLessThanOrEqual(
        1e-15 * Math.abs(cotangent.data[i]) + 1e-15 * Math.abs(expected),
      );
    });
  });

  it("approximate: 'tanh' is ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (by hand)", () => {
    expectClose(gelu(tensor([1, -1]), { approximate: 'tanh' }), [0.8411919906082768, -0.15880800939172324], 1e-15);
  });

  it('NaN gives NaN in both forms; an unknown approximation is rejected', () => {
    expect(gelu(tensor([NaN])).data[0]).toBeNaN();
    expect(gelu(tensor([NaN]), { approximate: 'tanh' }).data[0]).toBeNaN();
    expect(() => gelu(tensor([1]), { approximate: 'sigmoid' as never })).toThrow("gelu: approximate must be 'none' or 'tanh', got sigmoid");
  });

  it.each(['none', 'tanh'] as const)('gradcheck (%s)', (approximate) => {
    expectGradcheck((x) => gelu(x, { approximate }), [normal([3, 4], 5)]);
  });
});
