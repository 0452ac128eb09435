/**
 * Every op's gradient rule is itself differentiable: for each case of the every-op table,
 * gradgradcheck (random upstream gradient v, then a finite-difference check of the gradient
 * function (inputs, v) ↦ vᵀJ) passes. And forward mode (jvp) agrees with finite differences and
 * with the VJP through ⟨J·t, c⟩ = ⟨t, Jᵀ·c⟩.
 */
import { gradgradcheck } from '@attograd/gradcheck';
import { gradients, jvp, randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { checks } from './op-cases';
import { dot } from './helpers';

describe.each(Object.keys(checks).sort())('%s', (name) => {
  const entry = checks[name];

  it('passes gradgradcheck (its rule is written with differentiable ops)', () => {
    const report = gradgradcheck(entry.fn, entry.make(7000));
    const failures = report.checks.filter((check) => !check.report.ok).map((check) => ({ input: check.input, inputs: check.report.inputs }));
    expect(report.ok, JSON.stringify(failures)).toBe(true);
  });

  it('jvp matches central differences and the VJP identity', () => {
    const inputs = entry.make(8000);
    const generator = rng(8001);
    const tangents = inputs.map((x) => randn(x.shape, { rng: generator }));
    const { output, tangent } = jvp(entry.fn, inputs, tangents);
    // Central difference of t ↦ f(x + t·u) at t = 0.
    const h = 1e-6;
    const shifted = (sign: number): Tensor =>
      entry.fn(...inputs.map((x, i) => new Tensor(x.data.map((v, k) => v + sign * h * tangents[i].data[k]), x.shape)));
    const plus = shifted(1);
    const minus = shifted(-1);
    for (let k = 0; k < output.size; k++) {
      const numeric = (plus.data[k] - minus.data[k]) / (2 * h);
      expect(Math.abs(tangent.data[k] - numeric)).toBeLessThan(1e-7 * (1 + Math.abs(numeric)));
    }
    const cotangent = randn(output.shape, { rng: generator });
    const leaves = inputs.map((x) => new Tensor(x.data, x.shape, { requiresGrad: true }));
    const vjps = gradients(entry.fn(...leaves), leaves, { gradOutput: cotangent });
    const right = vjps.reduce((total, g, i) => total + dot(tangents[i], g), 0);
    expect(Math.abs(dot(tangent, cotangent) - right)).toBeLessThan(1e-10 * (1 + Math.abs(right)));
  });
});
