import { describe, expect, it } from 'vitest';
import { rng, Tensor, zeros } from '@attograd/tensor';
import { init, Linear } from './index';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const values = Array.from(t.data);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

describe('init', () => {
  it('fans follow PyTorch for [out, in, ...receptive]', () => {
    expect(init.fans([8, 3])).toEqual({ fanIn: 3, fanOut: 8 });
    expect(init.fans([4, 2, 3, 3])).toEqual({ fanIn: 18, fanOut: 36 });
    expect(() => init.fans([5])).toThrow('init.fans: fans need a weight with at least 2 axes ([out, in, ...]), got shape [5]');
  });

  it('gains are PyTorch’s calculate_gain', () => {
    expect(init.gain('linear')).toBe(1);
    expect(init.gain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.gain('relu')).toBe(Math.SQRT2);
    expect(init.gain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.gain('selu')).toBe(0.75);
  });

  it('the same seed gives the same values; another seed other values', () => {
    const a = init.normal(zeros([50]), { rng: rng(3) });
    const b = init.normal(zeros([50]), { rng: rng(3) });
    const c = init.normal(zeros([50]), { rng: rng(4) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  // 40,000 draws: the sample std is within ~0.4 % of the target with overwhelming probability; 3 % is safe.
  it('normal and uniform have the requested moments and range', () => {
    const n = init.normal(zeros([200, 200]), { mean: 1, std: 0.5, rng: rng(5) });
    expect(stats(n).mean).toBeCloseTo(1, 1);
    expect(Math.abs(stats(n).std / 0.5 - 1)).toBeLessThan(0.03);
    const u = stats(init.uniform(zeros([200, 200]), { low: -2, high: 3, rng: rng(6) }));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(3);
    expect(Math.abs(u.std / (5 / Math.sqrt(12)) - 1)).toBeLessThan(0.03);
  });

  it('Xavier: bound √(6/(fan_in + fan_out)) (uniform), std √(2/(fan_in + fan_out)) (normal)', () => {
    const bound = Math.sqrt(6 / (300 + 100));
    const u = stats(init.xavierUniform(zeros([100, 300]), { rng: rng(7) }));
    expect(u.max).toBeLessThanOrEqual(bound);
    expect(u.min).toBeGreaterThanOrEqual(-bound);
    expect(Math.abs(u.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.03);
    const n = stats(init.xavierNormal(zeros([100, 300]), { gain: 2, rng: rng(8) }));
    expect(Math.abs(n.std / (2 * Math.sqrt(2 / 400)) - 1)).toBeLessThan(0.03);
  });

  it('Kaiming: std gain/√fan with relu gain √2, fan_in or fan_out', () => {
    const n = stats(init.kaimingNormal(zeros([100, 400]), { nonlinearity: 'relu', rng: rng(9) }));
    expect(Math.abs(n.std / (Math.SQRT2 / 20) - 1)).toBeLessThan(0.03);
    const out = stats(init.kaimingNormal(zeros([100, 400]), { nonlinearity: 'relu', mode: 'fanOut', rng: rng(10) }));
    expect(Math.abs(out.std / (Math.SQRT2 / 10) - 1)).toBeLessThan(0.03);
    // PyTorch's Linear init is kaimingUniform with a = √5: bound 1/√fan_in.
    const u = stats(init.kaimingUniform(zeros([100, 400]), { a: Math.sqrt(5), rng: rng(11) }));
    expect(u.max).toBeLessThanOrEqual(1 / 20);
    expect(u.max).toBeGreaterThan(0.049);
  });

  it('Linear starts as PyTorch: weights and bias within ±1/√in', () => {
    const layer = new Linear(64, 32, { rng: rng(12) });
    expect(stats(layer.weight).max).toBeLessThanOrEqual(1 / 8);
    expect(Math.abs(stats(layer.weight).std / (1 / 8 / Math.sqrt(3)) - 1)).toBeLessThan(0.05);
    expect(stats(layer.bias!).max).toBeLessThanOrEqual(1 / 8);
  });

  it('writes in place through the tensor (its version counter moves) and refuses what is not a float tensor', () => {
    const t = zeros([3]);
    const before = t.version;
    expect(init.constant(t, 2)).toBe(t);
    expect(Array.from(t.data)).toEqual([2, 2, 2]);
    expect(t.version).toBeGreaterThan(before);
    expect(() => init.normal([1, 2] as never)).toThrow('init.normal: t must be a Tensor, got an array of length 2');
    expect(() => init.ones(new Tensor(new Int32Array(2), [2]))).toThrow(/init.constant: t must be a float tensor, got int32/);
    expect(() => init.normal(zeros([2]), { std: -1 })).toThrow(/std must be non-negative/);
    expect(() => init.kaimingNormal(zeros([2, 2]), { mode: 'fan_in' as never })).toThrow(/mode must be 'fanIn' or 'fanOut'/);
  });
});
