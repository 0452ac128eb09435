import { describe, expect, it } from 'vitest';
import { gradients, type Tensor } from '@attograd/tensor';
import { add, mul, sum } from '@attograd/ops';
import { attentionBlock, multiHeadAttention, selfAttention, traceSelfAttention } from '../src/index';
import { fromGolden, type GoldenCase, loadGolden, maxAbsDiff, relativeDiff } from './helpers';

/**
 * PyTorch 1.13 float64 reference values (tools/golden/generate.py): forward outputs, VJPs with a
 * random cotangent, and Hessian-vector products of ⟨output, cotangent⟩.
 */
const golden = loadGolden();

function callCase(c: GoldenCase, inputs: Tensor[]): Tensor {
  const named = Object.fromEntries(c.inputNames.map((name, i) => [name, inputs[i]]));
  const { x, wq, wk, wv, wo, gamma, beta } = named;
  const mask = c.attrs.mask ? fromGolden(c.attrs.mask) : undefined;
  const { causal, heads, eps } = c.attrs;
  if (c.op === 'selfAttention') return selfAttention(x, { wq, wk, wv }, { causal, mask });
  if (c.op === 'multiHeadAttention') return multiHeadAttention(x, { wq, wk, wv, wo }, { heads: heads!, causal, mask });
  return attentionBlock(x, { wq, wk, wv, gamma, beta }, { causal, mask, eps });
}

describe('golden vectors from PyTorch', () => {
  it('cover every composite', () => {
    expect(golden.generator).toMatch(/PyTorch/);
    expect(new Set(golden.cases.map((c) => c.op))).toEqual(new Set(['selfAttention', 'multiHeadAttention', 'attentionBlock']));
  });

  for (const c of golden.cases) {
    it(`${c.name}: output and gradients agree to 1e-12`, () => {
      const inputs = c.inputs.map((t) => fromGolden(t, true));
      const output = callCase(c, inputs);
      expect(maxAbsDiff(output, fromGolden(c.output))).toBeLessThan(1e-12);
      const grads = gradients(output, inputs, { gradOutput: fromGolden(c.cotangent) });
      grads.forEach((grad, i) => {
        const expected = c.grads[i];
        expect(expected, `${c.name} has a gradient for ${c.inputNames[i]}`).not.toBeNull();
        expect(maxAbsDiff(grad, fromGolden(expected!)), `d/d${c.inputNames[i]}`).toBeLessThan(1e-12);
      });
    });
  }

  for (const c of golden.cases.filter((item) => item.hvp !== undefined)) {
    it(`${c.name}: Hessian-vector products agree to 1e-10 relative`, () => {
      const inputs = c.inputs.map((t) => fromGolden(t, true));
      const output = callCase(c, inputs);
      const grads = gradients(output, inputs, { gradOutput: fromGolden(c.cotangent), createGraph: true });
      const directions = c.hvp!.direction.map((t) => fromGolden(t));
      // H·u = ∇⟨∇⟨f, c⟩, u⟩: differentiate the directional derivative of the gradient.
      const inner = grads.map((g, i) => sum(mul(g, directions[i]))).reduce((a, b) => add(a, b));
      // β enters linearly, so the gradient does not depend on it: its row of H is zero.
      const hvp = gradients(inner, inputs, { allowUnused: true });
      hvp.forEach((result, i) => {
        expect(relativeDiff(result, fromGolden(c.hvp!.result[i])), `H·u for ${c.inputNames[i]}`).toBeLessThan(1e-10);
      });
    });
  }

  it('traceSelfAttention reproduces every intermediate of the first case', () => {
    const c = golden.cases[0];
    expect(c.intermediates).toBeDefined();
    const [x, wq, wk, wv] = c.inputs.map((t) => fromGolden(t));
    const trace = traceSelfAttention(x, { wq, wk, wv });
    const pairs: [string, Tensor][] = [
      ['Q', trace.q],
      ['K', trace.k],
      ['V', trace.v],
      ['S', trace.s],
      ['Shat', trace.sHat],
      ['P', trace.p],
      ['Z', trace.z],
    ];
    for (const [name, value] of pairs) {
      expect(maxAbsDiff(value, fromGolden(c.intermediates![name])), name).toBeLessThan(1e-13);
    }
  });
});
