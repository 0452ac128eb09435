/** gradcheck with its verdict asserted, shared by the op tests. */
import { formatReport, gradcheck, type GradcheckReport } from '@attograd/gradcheck';
import type { Tensor } from '@attograd/tensor';
import { expect } from 'vitest';

/**
 * gradcheck in full mode (every Jacobian element, central differences, float64, the default
 * tolerances of ~1e-8), asserting that it passed and that no input was checked vacuously.
 */
export function expectGradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[]): GradcheckReport {
  const report = gradcheck(fn, [...inputs], { mode: 'full' });
  expect(report.ok, formatReport(report)).toBe(true);
  expect(report.inputs).toHaveLength(inputs.filter((input) => input.requiresGrad).length);
  for (const input of report.inputs) expect(input.vacuous, `input ${input.index}: ${input.vacuousReason ?? ''}`).toBe(false);
  return report;
}
