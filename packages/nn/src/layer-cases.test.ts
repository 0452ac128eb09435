/**
 * Every row of the layer case table (src/layer-cases.ts), each layer a function of its input and
 * all its parameters, in float64: gradcheck of ⟨layer(x), c⟩ with a seeded random cotangent c
 * (gradcheck draws it), gradgradcheck (a seeded random upstream gradient v, then finite
 * differences of the gradient function), and jvp against central differences and the VJP
 * identity ⟨J·t, c⟩ = ⟨t, Jᵀ·c⟩ with seeded random tangents and cotangents.
 */
import { formatReport, gradcheck, gradgradcheck } from '@attograd/gradcheck';
import { gradients, jvp, randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as nn from './index';
import { layerCases } from './index';

function dot(a: Tensor, b: Tensor): number {
  let total = 0;
  for (let i = 0; i < a.size; i++) total += a.data[i] * b.data[i];
  return total;
}

/** The large rows check their second derivatives in fast mode (one random direction), the others in full. */
const FAST_SECOND_ORDER = new Set(['MultiHeadAttention/causal', 'MultiHeadAttention/mask', 'TransformerBlock', 'GPT']);

describe('the layer case table', () => {
  it('has every layer class nn exports, and unique names', () => {
    const classes = ['Linear', 'Embedding', 'LayerNorm', 'Dropout', 'MultiHeadAttention', 'FeedForward', 'TransformerBlock', 'GPT'];
    const exported = new Map(Object.entries(nn));
    for (const name of classes) expect(typeof exported.get(name), name).toBe('function');
    expect(new Set(layerCases.map((c) => c.layer))).toEqual(new Set(classes));
    expect(new Set(layerCases.map((c) => c.name)).size).toBe(layerCases.length);
  });

  it('builds the same inputs from the same seed, and every input is a differentiable float64 tensor named once', () => {
    for (const layerCase of layerCases) {
      const [first, second] = [layerCase.build(3), layerCase.build(3)];
      expect(first.inputs.map((x) => Array.from(x.data))).toEqual(second.inputs.map((x) => Array.from(x.data)));
      expect(first.inputNames).toHaveLength(first.inputs.length);
      for (const x of first.inputs) expect([x.dtype, x.requiresGrad]).toEqual(['float64', true]);
    }
  });

  it('computes with the tensors it is given (a pure function of its inputs), not only with its own parameters', () => {
    for (const layerCase of layerCases.filter((c) => c.name !== 'Dropout/eval' && c.name !== 'Dropout/train')) {
      const { fn, inputs } = layerCase.build(4);
      const moved = inputs.map(
        (x) =>
          new Tensor(
            x.data.map((v) => v + 0.25),
            x.shape,
          ),
      );
      const [before, after] = [fn(...inputs), fn(...moved)];
      expect(
        before.data.some((v, i) => v !== after.data[i]),
        layerCase.name,
      ).toBe(true);
      expect(Array.from(fn(...inputs).data), layerCase.name).toEqual(Array.from(before.data)); // the originals are back
    }
  });
});

describe.each(layerCases.map((c) => [c.name, c] as const))('%s', (name, layerCase) => {
  it('passes gradcheck with respect to its input and every parameter', () => {
    const { fn, inputs } = layerCase.build(100);
    const report = gradcheck(fn, inputs, { seed: 101 });
    expect(report.ok, formatReport(report)).toBe(true);
    for (const input of report.inputs) expect(input.vacuous, `input ${input.index}: ${input.vacuousReason}`).toBe(false);
  }, 60_000);

  it('passes gradgradcheck', () => {
    const { fn, inputs } = layerCase.build(200);
    const report = gradgradcheck(fn, inputs, { seed: 201, mode: FAST_SECOND_ORDER.has(name) ? 'fast' : 'full' });
    const failures = report.checks.filter((check) => !check.report.ok).map((check) => formatReport(check.report));
    expect(report.ok, failures.join('\n')).toBe(true);
  }, 120_000);

  it('jvp matches central differences and the VJP identity', () => {
    const { fn, inputs } = layerCase.build(300);
    const generator = rng(301);
    const tangents = inputs.map((x) => randn(x.shape, { rng: generator }));
    const { output, tangent } = jvp(fn, inputs, tangents);
    const h = 1e-6;
    const shifted = (sign: number): Tensor =>
      fn(
        ...inputs.map(
          (x, i) =>
            new Tensor(
              x.data.map((v, k) => v + sign * h * tangents[i].data[k]),
              x.shape,
            ),
        ),
      );
    const [plus, minus] = [shifted(1), shifted(-1)];
    for (let k = 0; k < output.size; k++) {
      const numeric = (plus.data[k] - minus.data[k]) / (2 * h);
      expect(Math.abs(tangent.data[k] - numeric), `${name} output ${k}`).toBeLessThan(1e-6 * (1 + Math.abs(numeric)));
    }
    const cotangent = randn(output.shape, { rng: generator });
    const leaves = inputs.map((x) => new Tensor(x.data, x.shape, { requiresGrad: true }));
    const vjps = gradients(fn(...leaves), leaves, { gradOutput: cotangent });
    const right = vjps.reduce((total, g, i) => total + dot(tangents[i], g), 0);
    expect(Math.abs(dot(tangent, cotangent) - right)).toBeLessThan(1e-10 * (1 + Math.abs(right)));
  }, 60_000);
});
