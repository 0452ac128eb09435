import { describe, expect, it } from 'vitest';
import { checkInteger } from './checks';

describe('checkInteger', () => {
  it('returns an integer ≥ min unchanged', () => {
    expect(checkInteger('f', 'n', 3, 1)).toBe(3);
    expect(checkInteger('f', 'n', 0, 0)).toBe(0);
    expect(checkInteger('f', 'n', -2, -5)).toBe(-2);
  });

  it('a number that is not an integer ≥ min: a RangeError naming the function, the argument and the number', () => {
    for (const [value, shown] of [
      [0, '0'],
      [2.5, '2.5'],
      [Number.NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ] as const) {
      expect(() => checkInteger('StepLR', 'stepSize', value, 1)).toThrow(
        new RangeError(`StepLR: stepSize must be an integer ≥ 1, got ${shown}`),
      );
      expect(() => checkInteger('StepLR', 'stepSize', value, 1)).toThrow(RangeError);
    }
  });

  it('anything but a number: a TypeError, the value described', () => {
    for (const [value, shown] of [
      ['3', 'the string "3"'],
      [undefined, 'undefined'],
      [null, 'null'],
      [[3], 'an array of length 1'],
    ] as const) {
      expect(() => checkInteger('Linear', 'inFeatures', value, 1)).toThrow(
        new TypeError(`Linear: inFeatures must be an integer ≥ 1, got ${shown}`),
      );
      expect(() => checkInteger('Linear', 'inFeatures', value, 1)).toThrow(TypeError);
    }
  });
});
