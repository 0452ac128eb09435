import { describe, expect, it } from 'vitest';
import { rng } from './random';
import { randn, rand } from './create';

// Expected values come from an independent C implementation of the same algorithm
// (test/rng-reference.c: splitmix32 seeding + the xoshiro128** reference code).
const reference: Record<number, { uint32: number[]; uniform: number }> = {
  0: { uint32: [3809008728, 1133695204, 53579671, 2891528803, 139681546], uniform: 0.51298791188305659 },
  1: { uint32: [2442144158, 3238099751, 3819917871, 2104621829, 2021136066], uniform: 0.98336863780742656 },
  42: { uint32: [2837322924, 544945897, 479756282, 3500138142, 339756180], uniform: 0.026350207740137188 },
  20261127: { uint32: [1485017719, 2944257915, 2904004717, 1454478494, 3197167780], uniform: 0.072525255253813592 },
};

describe('rng', () => {
  it.each(Object.keys(reference).map(Number))('matches the C reference for seed %i', (seed) => {
    const generator = rng(seed);
    const values = Array.from({ length: 5 }, () => generator.nextUint32());
    expect(values).toEqual(reference[seed].uint32);
    expect(generator.uniform()).toBe(reference[seed].uniform);
  });

  it('gives the same tensor for the same seed and a different one for another seed', () => {
    const a = randn([4, 5], { rng: rng(7) });
    const b = randn([4, 5], { rng: rng(7) });
    const c = randn([4, 5], { rng: rng(8) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('draws normal deviates with mean ≈ 0 and variance ≈ 1', () => {
    const values = randn([200_000], { rng: rng(3) }).data;
    let total = 0;
    let squares = 0;
    for (const v of values) {
      total += v;
      squares += v * v;
    }
    const mean = total / values.length;
    // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(squares / values.length - mean * mean - 1)).toBeLessThan(0.015);
  });

  it('draws uniform values in [0, 1) with mean ≈ 1/2', () => {
    const values = rand([100_000], { rng: rng(5) }).data;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = Array.from(values).reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  });

  it('rejects a non-integer seed and a foreign rng', () => {
    expect(() => rng(1.5)).toThrow('rng: seed must be an integer, got 1.5');
    expect(() => randn([2], { rng: { normal: () => 0 } as never })).toThrow('randn: rng must come from rng(seed)');
  });
});
