import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erfcScalar, erfScalar } from './erf';

/** [x, erf(x), erfc(x)] from Python's math module (the C library), made by tools/golden/erf_reference.py. */
const reference = JSON.parse(readFileSync(new URL('./erf-reference.json', import.meta.url), 'utf8')) as {
  generator: string;
  rows: [number, number, number][];
};

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
  it('match the C library (Python math.erf/erfc) on 303 points in [−27.5, 27.5] to a few ulps', () => {
    // Includes the doubles on both sides of the region boundaries (0.46875, 4), where erf rounds
    // to 1 (~5.93, 6), and the tail of erfc down to 1e-300 (x = 26.3); 27.5 underflows to 0.
    expect(reference.rows.length).toBe(303);
    const erf = worst(erfScalar, 1);
    const erfc = worst(erfcScalar, 2);
    expect(erf.error, `erf worst at x = ${erf.x}`).toBeLessThan(1e-15);
    // erfc relative to itself, also where it is tiny: e^{−x²} is taken with x² split exactly.
    expect(erfc.error, `erfc worst at x = ${erfc.x}`).toBeLessThan(1e-15);
  });

  it('has no step at the region boundaries: the change across one equals the slope times the gap', () => {
    const h = 2 ** -40;
    for (const b of [0.46875, 4]) {
      const slope = (2 / Math.sqrt(Math.PI)) * Math.exp(-b * b); // erf′; erfc′ is its negative
      for (const [fn, sign] of [
        [erfScalar, 1],
        [erfcScalar, -1],
      ] as const) {
        const jump = fn(b + h) - fn(b - h) - sign * slope * 2 * h;
        expect(Math.abs(jump) / Math.abs(fn(b)), `${fn.name} at ${b}`).toBeLessThan(2e-15);
      }
    }
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
