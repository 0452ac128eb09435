import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
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
