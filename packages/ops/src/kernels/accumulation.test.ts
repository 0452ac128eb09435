/**
 * Float32 reductions accumulate in float64 (issue 11, item 7): a float32 running sum stops growing
 * at 2²⁴ and drifts by percent at 10⁷ terms. The result is rounded to float32 once, at the end.
 */
import { Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { layerNormBackward } from './layer-norm';
import { mean } from '../mean';
import { sum } from '../sum';

/** 10⁷-element cases: about a second each on an idle machine, more under load. */
const LARGE = { timeout: 60_000 };

/** Half an ulp of float32 at v: the error of rounding the exact result to float32 once. */
const halfUlp32 = (v: number) => 2 ** (Math.floor(Math.log2(Math.abs(v))) - 24);

describe('float32 sum and mean accumulate in float64', () => {
  it('sum of 10⁷ values of 0.1 is 10⁶ within float32 rounding (a float32 running sum gives 1087937)', LARGE, () => {
    const x = new Tensor(new Float32Array(1e7).fill(0.1), [1e7]);
    const exact = 1e7 * Math.fround(0.1); // 1000000.0149…
    const total = sum(x).data[0];
    expect(Math.abs(total - exact)).toBeLessThanOrEqual(halfUlp32(exact));
    expect(mean(x).data[0]).toBeCloseTo(0.1, 7);
    expect(Math.abs(mean(x).data[0] - Math.fround(0.1))).toBeLessThanOrEqual(2 * halfUlp32(0.1));
  });

  it('sum of 2·10⁷ ones is 2·10⁷ (a float32 running sum stops at 16777216), along an axis too', LARGE, () => {
    const x = new Tensor(new Float32Array(2e7).fill(1), [2, 1e7]);
    expect(sum(x).data[0]).toBe(2e7);
    expect(Array.from(sum(x, 1).data)).toEqual([1e7, 1e7]);
  });
});

describe('float32 layer-norm backward accumulates dγ and dβ in float64', () => {
  it('dβ over 2·10⁷ rows of ones is 2·10⁷', LARGE, () => {
    const rows = 2e7;
    const dY = new Float32Array(rows).fill(1);
    const normalized = new Float32Array(rows).fill(1);
    const rstd = new Float32Array(rows).fill(1);
    const dGamma = new Float32Array(1);
    const dBeta = new Float32Array(1);
    layerNormBackward(dY, normalized, rstd, new Float32Array([1]), 1, null, dGamma, dBeta);
    expect(dBeta[0]).toBe(2e7);
    expect(dGamma[0]).toBe(2e7);
  });
});
