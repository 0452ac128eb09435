/**
 * Every op's gradient rule is itself differentiable: for each case of the op-case table (src/cases.ts),
 * gradgradcheck (random upstream gradient v, then a finite-difference check of the gradient
 * function (inputs, v) ↦ vᵀJ) passes. And forward mode (jvp) agrees with finite differences and
 * with the VJP through ⟨J·t, c⟩ = ⟨t, Jᵀ·c⟩.
 */
import { gradgradcheck } from '@attograd/gradcheck';
import { gradients, jvp, randn, rng, Tensor, zeros } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { CASE_SIZES, opCases } from '../src/index';
import { dot } from './helpers';

describe.each(
  Object.values(opCases)
    .flat()
    .map((c) => [c.name, c] as const),
)('%s', (_, entry) => {
  it('passes gradgradcheck (its rule is written with differentiable ops)', () => {
    const report = gradgradcheck(entry.fn, entry.inputs(CASE_SIZES, 7000));
    const failures = report.checks
      .filter((check) => !check.report.ok)
      .map((check) => ({ input: check.input, inputs: check.report.inputs }));
    expect(report.ok, JSON.stringify(failures)).toBe(true);
  });

  it('jvp matches central differences and the VJP identity', () => {
    const inputs = entry.inputs(CASE_SIZES, 8000);
    const generator = rng(8001);
    // Constant inputs (a where's condition, a mask) get a zero tangent: they are not differentiated.
    const tangents = inputs.map((x) => (x.requiresGrad ? randn(x.shape, { rng: generator }) : zeros(x.shape)));
    const { output, tangent } = jvp(entry.fn, inputs, tangents);
    // Central difference of t ↦ f(x + t·u) at t = 0.
    const h = 1e-6;
    const shifted = (sign: number): Tensor =>
      entry.fn(
        ...inputs.map(
          (x, i) =>
            new Tensor(
              x.data.map((v, k) => v + sign * h * tangents[i].data[k]),
              x.shape,
            ),
        ),
      );
    const plus = shifted(1);
    const minus = shifted(-1);
    for (let k = 0; k < output.size; k++) {
      const numeric = (plus.data[k] - minus.data[k]) / (2 * h);
      expect(Math.abs(tangent.data[k] - numeric)).toBeLessThan(1e-7 * (1 + Math.abs(numeric)));
    }
    const cotangent = randn(output.shape, { rng: generator });
    const leaves = inputs.map((x) => new Tensor(x.data, x.shape, { requiresGrad: x.requiresGrad }));
    const differentiable = leaves.flatMap((leaf, i) => (leaf.requiresGrad ? [i] : []));
    const vjps = gradients(
      entry.fn(...leaves),
      differentiable.map((i) => leaves[i]),
      { gradOutput: cotangent },
    );
    const right = vjps.reduce((total, g, t) => total + dot(tangents[differentiable[t]], g), 0);
    expect(Math.abs(dot(tangent, cotangent) - right)).toBeLessThan(1e-10 * (1 + Math.abs(right)));
  });
});
