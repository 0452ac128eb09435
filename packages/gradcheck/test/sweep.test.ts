import { randn, rng, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { stepSizeSweep } from '../src/index';
import { cube, exp, matmul, sin, tanh } from './ops';

const input = (shape: number[], seed: number): Tensor => randn(shape, { rng: rng(seed), requiresGrad: true });

describe('stepSizeSweep', () => {
  it('runs eps = 1e-1 … 1e-10 by default', () => {
    const rows = stepSizeSweep(exp, [input([3], 1)]);
    expect(rows.map((row) => row.eps)).toEqual([1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]);
  });

  const cases: Array<[string, (...inputs: Tensor[]) => Tensor, Tensor[]]> = [
    ['sin ∘ cube', (x) => sin(cube(x)), [input([3, 4], 1)]],
    ['exp', exp, [input([3, 4], 2)]],
    ['tanh(x·W)', (x, w) => tanh(matmul(x, w)), [input([3, 4], 3), input([4, 2], 4)]],
  ];
  it.each(cases)('draws the V: truncation at 1e-1 and round-off at 1e-10 both exceed the bottom near 1e-5…1e-6 (%s)', (_, fn, inputs) => {
    const rows = stepSizeSweep(fn, inputs);
    const at = (eps: number) => rows.find((row) => row.eps === eps)!;
    const bottom = Math.min(at(1e-5).maxAbsError, at(1e-6).maxAbsError);
    expect(at(1e-1).maxAbsError).toBeGreaterThan(1000 * bottom);
    expect(at(1e-10).maxAbsError).toBeGreaterThan(1000 * bottom);
    expect(at(1e-1).maxRelError).toBeGreaterThan(1000 * Math.min(at(1e-5).maxRelError, at(1e-6).maxRelError));
    // Truncation falls as h² down the left arm: a decade of step is two decades of error.
    expect(at(1e-2).maxAbsError / at(1e-3).maxAbsError).toBeGreaterThan(50);
  });

  it('the five-point stencil has its bottom at larger steps, and its left arm falls as h⁴', () => {
    const rows = stepSizeSweep(exp, [input([3, 4], 2)], { stencil: 'five-point', from: 1e-1, to: 1e-6 });
    expect(rows).toHaveLength(6);
    const [e1, e2, e3] = rows.map((row) => row.maxAbsError);
    expect(e1 / e2).toBeGreaterThan(5000);
    expect(e3).toBeLessThan(1e-11);
  });

  it('is reproducible for a seed', () => {
    const inputs = [input([4], 5)];
    expect(stepSizeSweep(sin, inputs, { seed: 3 })).toEqual(stepSizeSweep(sin, inputs, { seed: 3 }));
  });
});
