import { describe, expect, it } from 'vitest';
import { ThinnedCurve } from './charts';

describe('ThinnedCurve (the live loss curve)', () => {
  it('keeps at most max points over a long run: the first, the newest, in order, spanning every step', () => {
    const thinned = new ThinnedCurve(400);
    for (let step = 0; step <= 10_000; step++) {
      thinned.add([step, 1 / (step + 1)]);
      expect(thinned.length).toBeLessThanOrEqual(400);
    }
    const curve = thinned.points;
    expect(curve[0]).toEqual([0, 1]);
    expect(curve[curve.length - 1]).toEqual([10_000, 1 / 10_001]);
    for (let i = 1; i < curve.length; i++) expect(curve[i][0]).toBeGreaterThan(curve[i - 1][0]);
    // Thinned evenly, not truncated nor only the recent part kept: every tenth of the run has points.
    for (let tenth = 0; tenth < 10; tenth++) expect(curve.some(([step]) => step >= tenth * 1000 && step < (tenth + 1) * 1000)).toBe(true);
    expect(curve.length).toBeGreaterThan(150);
    for (let tenth = 0; tenth < 10; tenth++) {
      const inTenth = curve.filter(([step]) => step >= tenth * 1000 && step < (tenth + 1) * 1000).length;
      expect(inTenth).toBeGreaterThan(curve.length / 20);
    }
  });

  it('leaves a short curve as it is', () => {
    const thinned = new ThinnedCurve(400);
    for (let step = 0; step < 50; step++) thinned.add([step, step]);
    expect(thinned.points.map(([step]) => step)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('ThinnedCurve.clear', () => {
  it('starts again from nothing (a reset of the training)', () => {
    const thinned = new ThinnedCurve(4);
    for (let step = 0; step < 20; step++) thinned.add([step, step]);
    thinned.clear();
    thinned.add([0, 5]);
    expect(thinned.points).toEqual([[0, 5]]);
  });
});
