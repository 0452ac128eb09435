import { randn, rng, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { formatReport, gradcheck } from '../src/index';
import { cube, mulForgetsB, squareMissingTwo } from './ops';

const input = (shape: number[], seed: number): Tensor => randn(shape, { rng: rng(seed), requiresGrad: true });

describe('formatReport', () => {
  it('a pass: header, one row per input, summary line, no escape codes', () => {
    const text = formatReport(gradcheck(cube, [input([2, 3], 1)]));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^input\s+shape\s+max abs err\s+max rel err\s+worst \(input ← output\)\s+analytic\s+numeric\s+status$/);
    expect(lines[1]).toMatch(/^0\s+\[2, 3\]\s+\S+e-\d+\s+\S+\s+\[\d, \d\] ← \[\d, \d\]\s+\S+\s+\S+\s+PASS$/);
    expect(lines[2]).toMatch(
      /^gradcheck PASS: 1 checked input passed \(full, central, eps 6\.06e-6, atol 1e-8, rtol 1e-7\); output \[2, 3\]; \d+\.\d{3} s$/,
    );
    expect(lines).toHaveLength(3);
    expect(text).not.toMatch(/\u001b/);
  });

  it('a failure shows the worst element with both values, FAIL, and the warnings', () => {
    const x = input([2, 3], 21);
    const report = gradcheck(squareMissingTwo, [x]);
    const { inputIndex, analytic, numeric } = report.inputs[0].worst!;
    const text = formatReport(report);
    const row = text.split('\n')[1];
    expect(row).toContain(`[${inputIndex.join(', ')}] ← [${inputIndex.join(', ')}]`);
    expect(row).toContain(analytic.toPrecision(8));
    expect(row).toContain(numeric.toPrecision(8));
    expect(row).toMatch(/FAIL$/);
    expect(text).toMatch(/gradcheck FAIL: 1 of 1 checked input failed/);
  });

  it('vacuous inputs and warnings are shown', () => {
    const text = formatReport(gradcheck((a, _b) => cube(a), [input([2], 1), input([3], 2)]));
    expect(text).toMatch(/\n1\s+\[3\]\s+0\s+0\s+.*VACUOUS\n/);
    expect(text).toMatch(/; 1 warning\nwarning: input 1 \(shape \[3\]\) is VACUOUS/);
    const failed = formatReport(gradcheck(mulForgetsB, [input([2], 1), input([2], 2)]));
    expect(failed).toMatch(/\n1\s+\[2\].*FAIL\n/);
  });

  it('fast mode rows show the projection', () => {
    const text = formatReport(gradcheck(cube, [input([4], 1)], { mode: 'fast' }));
    expect(text).toMatch(/vᵀJu \(random u, v\).*PASS/);
  });
});
