import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { detectAnomaly } from './anomaly';
import { tensor, zeros } from './create';
import { noGrad, withGradMode } from './grad-mode';
import { withLabel } from './label';
import { Tensor } from './tensor';

/** Issue 11, item 9: construction rejects bad shapes and flags; modes refuse async functions. */
describe('new Tensor', () => {
  it('rejects negative, fractional and non-number dimensions', () => {
    expect(() => new Tensor(new Float64Array(4), [-2, -2])).toThrow('Tensor: shape must hold non-negative integers, got [-2, -2]');
    expect(() => new Tensor(new Float64Array(2), [0.5, 4])).toThrow('Tensor: shape must hold non-negative integers, got [0.5, 4]');
    expect(() => new Tensor(new Float64Array(2), ['2'] as never)).toThrow('Tensor: shape must hold non-negative integers');
    expect(() => new Tensor(new Float64Array(2), 2 as never)).toThrow('Tensor: shape must be an array of dimensions');
  });

  it('rejects a requiresGrad that is not a boolean, here and in tensor()', () => {
    expect(() => new Tensor(new Float64Array(1), [1], { requiresGrad: 'yes' as never })).toThrow(
      'Tensor: requiresGrad must be true or false, got the string "yes"',
    );
    expect(() => tensor([1], { requiresGrad: 1 as never })).toThrow('requiresGrad must be true or false, got number 1');
    expect(() => zeros([1], { requiresGrad: 'yes' as never })).toThrow('requiresGrad must be true or false');
  });

  it('still accepts size-0 dimensions', () => {
    expect(new Tensor(new Float64Array(0), [4, 0]).size).toBe(0);
  });
});

describe('noGrad, withGradMode, withLabel and detectAnomaly given an async function', () => {
  const cases: [string, (fn: () => unknown) => unknown][] = [
    ['noGrad', (fn) => noGrad(fn)],
    ['withGradMode', (fn) => withGradMode(false, fn)],
    ['withLabel', (fn) => withLabel('stage', fn)],
    ['detectAnomaly', (fn) => detectAnomaly(fn)],
  ];
  for (const [name, run] of cases) {
    it(`${name} throws a TypeError saying why`, () => {
      let ran = false;
      const asyncFn = async (): Promise<void> => {
        ran = true;
      };
      expect(() => run(asyncFn)).toThrow(new RegExp(`^${name}: fn is asynchronous .*first await`));
      expect(ran).toBe(false);
      // A plain function returning a promise is caught after the call.
      expect(() => run(() => Promise.resolve(1))).toThrow(TypeError);
      expect(run(() => 3)).toBe(3);
    });
  }
});

/** Issue 11, the console part: console.log(tensor) shows shape, dtype and values. */
describe('util.inspect', () => {
  it('shows shape, dtype and values', () => {
    expect(inspect(tensor([[1, 2.5]]))).toBe('Tensor(shape=[1, 2], dtype=float64) tensor([[1.0, 2.5000]])');
    expect(inspect(tensor([1], { requiresGrad: true, dtype: 'float32' }))).toBe(
      'Tensor(shape=[1], dtype=float32, requiresGrad) tensor([1.0], dtype=float32, requiresGrad)',
    );
  });

  it('abridges large tensors', () => {
    expect(inspect(zeros([2000]))).toBe('Tensor(shape=[2000], dtype=float64) [0, 0, 0, 0, 0, 0, … 1994 more]');
  });
});
