import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { absoluteError, changeBetween, difference, largestDifference } from '../src/index';

describe('differences (the one place where comparisons treat NaN and ±∞)', () => {
  it('absoluteError: |a − n|, Infinity when either is not finite (even the same NaN or ∞ twice)', () => {
    expect(absoluteError(1, 1.5)).toBe(0.5);
    expect(absoluteError(-2, 2)).toBe(4);
    expect(absoluteError(1.7e308, -1.7e308)).toBe(Infinity);
    for (const [a, n] of [
      [Number.NaN, 1],
      [1, Number.NaN],
      [Number.NaN, Number.NaN],
      [Infinity, Infinity],
      [-Infinity, 0],
    ]) {
      expect(absoluteError(a, n)).toBe(Infinity);
    }
  });

  it('changeBetween: the same value twice (NaN, ∞, −0 against 0) is no change; any other non-finite pair is Infinity', () => {
    expect(changeBetween([1, Number.NaN, Infinity, -0], [1, Number.NaN, Infinity, 0])).toBe(0);
    expect(changeBetween([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(changeBetween([1, 2], [1, Number.NaN])).toBe(Infinity);
    expect(changeBetween([Infinity], [-Infinity])).toBe(Infinity);
    expect(changeBetween([1, 2], [1])).toBe(Infinity);
    expect(changeBetween([], [])).toBe(0);
  });

  it('difference: largest |a − b| and relative to the larger tensor; NaN or ∞ − ∞ anywhere gives NaN, never hidden', () => {
    const d = difference(tensor([1, -4, 2]), tensor([1.5, -4, 1]));
    expect(d.maxAbs).toBe(1);
    expect(d.relative).toBe(1 / 4);
    expect(difference(tensor([0, 0]), tensor([0, 0]))).toEqual({ maxAbs: 0, relative: 0 });
    // NaN first, then a larger finite difference: still NaN.
    expect(difference(tensor([Number.NaN, 0]), tensor([1, 100])).maxAbs).toBeNaN();
    expect(difference(tensor([Number.NaN]), tensor([Number.NaN])).relative).toBeNaN();
    expect(difference(tensor([Infinity]), tensor([Infinity])).maxAbs).toBeNaN();
    expect(difference(tensor([Infinity]), tensor([1])).maxAbs).toBe(Infinity);
    expect(() => difference(tensor([1, 2]), tensor([1]))).toThrow(new RangeError('difference: a has shape [2] but b has shape [1]'));
  });

  it('largestDifference: each field’s maximum, NaN winning wherever it appears; 0 and 0 for none', () => {
    expect(largestDifference([])).toEqual({ maxAbs: 0, relative: 0 });
    expect(
      largestDifference([
        { maxAbs: 1e-9, relative: 1e-7 },
        { maxAbs: 1e-6, relative: 1e-10 },
      ]),
    ).toEqual({ maxAbs: 1e-6, relative: 1e-7 });
    for (const at of [0, 1, 2]) {
      const list = [
        { maxAbs: 1, relative: 0.1 },
        { maxAbs: 5, relative: 0.5 },
        { maxAbs: 2, relative: 0.2 },
      ];
      list[at] = { maxAbs: 3, relative: Number.NaN };
      const worst = largestDifference(list);
      expect(worst.relative).toBeNaN();
      expect(worst.maxAbs).toBe(at === 1 ? 3 : 5);
    }
  });
});
