import { rng, tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { normal, vjp } from '../test/helpers';
import { dropout } from './dropout';

describe('dropout', () => {
  it('keeps each value with probability 1 − p, scaled by 1/(1 − p); the backward uses the same mask', () => {
    const x = tensor(new Float64Array(10000).fill(2), { requiresGrad: true });
    const y = dropout(x, 0.25, { rng: rng(3) });
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 2 / 0.75) < 1e-15)).toBe(true);
    // 7500 expected; 4 standard deviations of a binomial(10000, 0.75) is ±173.
    expect(Math.abs(kept.length - 7500)).toBeLessThan(173);
    const [dx] = vjp(y, [x], tensor(new Float64Array(10000).fill(3)));
    for (let i = 0; i < x.size; i++) expect(dx.data[i]).toBe(y.data[i] === 0 ? 0 : 3 / 0.75);
  });

  it('is reproducible with a seeded rng, identity in eval mode or with p = 0, zeros with p = 1', () => {
    const x = normal([3, 4], 45);
    expect(Array.from(dropout(x, 0.5, { rng: rng(9) }).data)).toEqual(Array.from(dropout(x, 0.5, { rng: rng(9) }).data));
    expect(dropout(x, 0.5, { training: false })).toBe(x);
    expect(dropout(x, 0)).toBe(x);
    expect(Array.from(dropout(x, 1, { rng: rng(1) }).data).every((v) => v === 0)).toBe(true);
  });

  it('rejects p outside [0, 1] and a foreign rng', () => {
    expect(() => dropout(normal([2], 1), 1.5)).toThrow(/dropout: p must be a probability in \[0, 1\], got .*1.5/);
    expect(() => dropout(normal([2], 1), 0.5, { rng: Math.random as never })).toThrow(/dropout: rng must come from rng\(seed\)/);
  });

  it('gradcheck with a fixed mask', () => expectGradcheck((x) => dropout(x, 0.4, { rng: rng(11) }), [normal([3, 5], 46)]));
});
