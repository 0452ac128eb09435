/**
 * The one table of op cases (`opCases` of @attograd/ops), fuzzed: any case, at random sizes and
 * seeds (its domain and non-smooth points are the table's), passes gradcheck. The same rows the
 * op tests and `attograd check all` use, so a new op is fuzzed as soon as it has its row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '@attograd/gradcheck';
import { opCases } from '@attograd/ops';
import { runs } from '../src/arbitraries';

const cases = Object.values(opCases).flat();

describe('every case of the op-case table', () => {
  it('passes gradcheck at random sizes and seeds', () => {
    const draw = fc.record({
      at: fc.nat({ max: cases.length - 1 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      batch: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      seq: fc.integer({ min: 1, max: 5 }),
      dModel: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(draw, ({ at, seed, batch, seq, dModel }) => {
        const c = cases[at];
        const report = gradcheck(c.fn, c.inputs({ batch, seq, dModel }, seed));
        for (const input of report.inputs) expect(input.ok, `${c.name} (${c.domain}): ${JSON.stringify(input)}`).toBe(true);
      }),
      { numRuns: runs * 4, seed: 13 },
    );
  });
});
