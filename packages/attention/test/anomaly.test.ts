import { AnomalyError, detectAnomaly, full, randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { selfAttention } from '../src/index';

describe('detectAnomaly inside attention', () => {
  it('names the first op, and its stage, that turns finite values into ±Infinity', () => {
    const generator = rng(1);
    const x = randn([3, 4], { rng: generator, requiresGrad: true });
    // Finite but enormous weights: Q and K (~1e200) are finite, Q·Kᵀ (~1e400) overflows.
    const [wq, wk] = [0, 1].map(() => full([4, 4], 1e200, { requiresGrad: true }));
    const wv = randn([4, 4], { rng: generator, requiresGrad: true });
    let caught: unknown;
    try {
      detectAnomaly(() => selfAttention(x, { wq, wk, wv }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnomalyError);
    const anomaly = caught as AnomalyError;
    expect(anomaly.phase).toBe('forward');
    expect(anomaly.op).toBe('matmul');
    expect(anomaly.label).toBe('scores');
    expect(anomaly.message).toMatch(
      /^forward: 'matmul' \(stage scores\) produced -?Infinity in its output \[3, 3\] at \[\d, \d\] from finite inputs/,
    );
    expect(anomaly.inputs.map((t: Tensor) => t.shape)).toEqual([
      [3, 4],
      [3, 4],
    ]);
  });

  it('is silent on a fully masked row (zeros by design, not an anomaly)', () => {
    const generator = rng(2);
    const x = randn([3, 4], { rng: generator, requiresGrad: true });
    const [wq, wk, wv] = [0, 1, 2].map(() => randn([4, 4], { rng: generator, requiresGrad: true }));
    const mask = new Tensor(Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1, 1]), [3, 3]);
    expect(() =>
      detectAnomaly(() => {
        const z = selfAttention(x, { wq, wk, wv }, { mask });
        z.backward(randn(z.shape, { rng: generator }));
      }),
    ).not.toThrow();
  });
});
