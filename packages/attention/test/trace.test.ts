import { describe, expect, it } from 'vitest';
import { gradients, noGrad } from '@attograd/tensor';
import { matmulTransposed } from '@attograd/ops';
import {
  attentionBlock,
  attentionWeightsBackward,
  composites,
  residualLayerNormBackward,
  selfAttention,
  traceSelfAttention,
  weightedSumBackward,
} from '../src/index';
import { cotangentFor, maxAbsDiff } from './helpers';

describe('traceSelfAttention', () => {
  const inputs = composites[2].makeInputs({ batch: 2, seq: 4, dModel: 4, seed: 21 });
  const { x, wq, wk, wv, gamma, beta } = inputs;

  it('returns every intermediate with its shape, and the same Z and Y as the composites', () => {
    const trace = traceSelfAttention(x, { wq, wk, wv, gamma, beta }, { causal: true });
    expect(trace.q.shape).toEqual([2, 4, 4]);
    expect(trace.s.shape).toEqual([2, 4, 4]);
    expect(trace.p.shape).toEqual([2, 4, 4]);
    expect(maxAbsDiff(trace.z, selfAttention(x, { wq, wk, wv }, { causal: true }))).toBe(0);
    expect(maxAbsDiff(trace.y!, attentionBlock(x, { wq, wk, wv, gamma, beta }, { causal: true }))).toBe(0);
    // Without γ and β there is no Y.
    expect(traceSelfAttention(x, { wq, wk, wv }).y).toBeUndefined();
  });

  it('can be differentiated with respect to any intermediate', () => {
    const trace = traceSelfAttention(x, { wq, wk, wv, gamma, beta });
    const dY = cotangentFor(trace.y!, 22);
    const [dZ, dP, dSHat, dV] = gradients(trace.y!, [trace.z, trace.p, trace.sHat, trace.v], { gradOutput: dY });
    // The same chain by hand, stage by stage, from the values the trace recorded.
    const byHand = noGrad(() => {
      const z = residualLayerNormBackward(x, trace.z, { gamma, beta }, 1e-5, dY).z;
      const weighted = weightedSumBackward(trace.p, trace.v, z);
      return { z, p: weighted.p, v: weighted.v, sHat: attentionWeightsBackward(trace.p, weighted.p).sHat };
    });
    expect(maxAbsDiff(dZ, byHand.z)).toBeLessThan(1e-14);
    expect(maxAbsDiff(dP, byHand.p)).toBeLessThan(1e-14);
    expect(maxAbsDiff(dV, byHand.v)).toBeLessThan(1e-14);
    expect(maxAbsDiff(dSHat, byHand.sHat)).toBeLessThan(1e-14);
    expect(
      maxAbsDiff(
        dP,
        noGrad(() => matmulTransposed(dZ, trace.v, false, true)),
      ),
    ).toBeLessThan(1e-14);
  });
});
