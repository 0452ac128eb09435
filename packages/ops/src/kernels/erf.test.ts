import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erfcScalar, erfScalar } from './erf';

/** [x, erf(x), erfc(x)] from Python's math module (the C library), made by tools/golden/erf_reference.py. */
const reference = JSON.parse(readFileSync(new URL('./erf-reference.json', import.meta.url), 'utf8')) as { generator: string; rows: [number, number, number][] };

/** The worst relative error of `fn` over the reference rows (column 1: erf, 2: erfc). */
function worst(fn: (x: number) => number, column: 1 | 2): { error: number; x: number } {
  let result = { error: 0, x: 0 };
  for (const row of reference.rows) {
    const expected = row[column];
    const error = expected === 0 ? Math.abs(fn(row[0])) : Math.abs(fn(row[0]) - expected) / Math.abs(expected);
    if (error > result.error) result = { error, x: row[0] };
  }
  return result;
}

describe('erf and erfc in double precision', () => {
  it('match the C library (Python math.erf/erfc) on 161 points in [−27.5, 27.5] to a few ulps', () => {
    expect(reference.rows.length).toBe(161);
    const erf = worst(erfScalar, 1);
    const erfc = worst(erfcScalar, 2);
    expect(erf.error, `erf worst at x = ${erf.x}`).toBeLessThan(1e-15);
    // erfc is compared relative to itself down to 1e-330 (x = 27.5): the continued fraction keeps it.
    // Below x = 1.5 it is 1 − erf(x) ≥ 0.034, so up to ~ε/0.034 ≈ 3e-15 (times a few roundings) is lost.
    expect(erfc.error, `erfc worst at x = ${erfc.x}`).toBeLessThan(1.5e-14);
  });

  it('special values: odd symmetry, limits, NaN', () => {
    expect(erfScalar(0)).toBe(0);
    expect(erfScalar(Infinity)).toBe(1);
    expect(erfScalar(-Infinity)).toBe(-1);
    expect(erfcScalar(Infinity)).toBe(0);
    expect(erfcScalar(-Infinity)).toBe(2);
    expect(erfScalar(NaN)).toBeNaN();
    expect(erfcScalar(NaN)).toBeNaN();
    for (const x of [0.3, 1.7, 2.9, 3.2, 8]) expect(erfScalar(-x)).toBe(-erfScalar(x));
  });
});
