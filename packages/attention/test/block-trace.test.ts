import { causalMask, composites, stages } from '../src/index';
import { blockGradients, traceBlock } from '../src/block-trace';
import { compareThreeWays } from '../src/compare';
import { noGrad, randn, rng, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';

function maxGap(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let gap = 0;
  for (let i = 0; i < a.size; i++) gap = Math.max(gap, Math.abs(a.data[i] - b.data[i]));
  return gap;
}

const block = composites.find((c) => c.key === 'attentionBlock')!;

describe.each([
  { heads: 1, causal: false },
  { heads: 2, causal: true },
])('traceBlock and stage.traceInputs/traceOutput (heads $heads, causal $causal)', ({ heads, causal }) => {
  const leaves = block.makeInputs({ seq: 4, dModel: 6, seed: 3 });
  const mask = causal ? causalMask(4) : undefined;
  const { x, wq, wk, wv, gamma, beta } = leaves;
  const trace = traceBlock(x, { wq, wk, wv, gamma, beta }, { heads, mask });

  it('each stage run on its trace inputs reproduces its trace output', () => {
    for (const stage of stages) {
      const out = noGrad(() => stage.run(stage.traceInputs(trace)));
      expect(maxGap(out, stage.traceOutput(trace)), stage.key).toBe(0);
    }
  });

  it('the block output equals the registry composite for one head', () => {
    if (heads !== 1) return;
    expect(maxGap(trace.y, noGrad(() => block.run({ ...leaves, ...(mask ? { mask } : {}) })))).toBe(0);
  });

  it('traceOutput of blockGradients is the upstream gradient: the hand backward of each stage chains to dX', () => {
    const dY = randn(trace.y.shape, { rng: rng(11) });
    const grads = blockGradients(trace, dY);
    // Each stage's hand-derived backward, given its upstream gradient, agrees with autograd (three ways).
    for (const stage of stages) {
      const report = compareThreeWays(stage, stage.traceInputs(trace), { cotangent: stage.traceOutput(grads) });
      expect(report.maxRelative, stage.key).toBeLessThan(1e-6);
    }
    // The softmax stage's hand-derived dŜ from dP is the gradient recorded for Ŝ.
    const softmax = stages.find((s) => s.key === 'softmax')!;
    const dSHat = softmax.manualBackward(softmax.traceInputs(trace), softmax.traceOutput(grads)).sHat;
    expect(maxGap(dSHat, grads.sHat)).toBeLessThan(1e-12);
  });
});

describe('traceBlock errors', () => {
  it('names the function and the head count that does not divide d', () => {
    const { x, wq, wk, wv, gamma, beta } = block.makeInputs({ seq: 3, dModel: 4 });
    expect(() => traceBlock(x, { wq, wk, wv, gamma, beta }, { heads: 3 })).toThrow(/traceBlock.*heads.*d = 4/);
  });
});
