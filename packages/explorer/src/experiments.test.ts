import { describe, expect, it } from 'vitest';
import { residualExperiment, rowMaxExperiment, scalingExperiment } from './experiments';

describe('the textbook experiments', () => {
  it('without 1/√d_k the score spread grows like √d_k and the softmax entropy falls; with it both stay put', () => {
    const rows = scalingExperiment({ dKs: [4, 256], draws: 8 });
    const at = (dK: number, scaled: boolean) => rows.find((r) => r.dK === dK && r.scaled === scaled)!;
    expect(at(256, false).scoreSpread / at(4, false).scoreSpread).toBeGreaterThan(5); // √64 = 8
    expect(Math.abs(at(256, true).scoreSpread - at(4, true).scoreSpread)).toBeLessThan(0.3);
    expect(at(256, false).entropy).toBeLessThan(at(256, true).entropy);
  });

  it('the shifted softmax equals the plain one until e^x overflows, then the plain one is NaN', () => {
    const rows = rowMaxExperiment([0, 10, 1000]);
    expect(rows[0].difference).toBeLessThan(1e-15);
    expect(rows[1].difference).toBeLessThan(1e-15);
    expect(rows[2].naive).toBeNaN();
    expect(Number.isFinite(rows[2].shifted)).toBe(true);
  });

  it('measures a finite gradient reaching x with and without the residual', () => {
    const rows = residualExperiment([1, 4]);
    for (const row of rows) for (const v of [row.withResidual, row.withoutResidual]) expect(v).toBeGreaterThan(0);
  });
});
