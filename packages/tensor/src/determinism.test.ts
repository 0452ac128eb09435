import { describe, expect, it } from 'vitest';
import { gradients } from './autograd';
import { randn } from './create';
import { broadcastTo } from './primitives';
import { rng } from './random';
import { multiply, shift } from './test-ops';

describe('determinism', () => {
  it('the same seeds give bit-identical gradients, run after run', () => {
    const run = (): number[][] => {
      const x = randn([3, 4], { rng: rng(11), requiresGrad: true });
      const w = randn([4], { rng: rng(12), requiresGrad: true });
      const y = multiply([shift([multiply([x, broadcastTo(w, [3, 4])], {})], { by: 0.5 }), x], {});
      return gradients(y, [x, w], { gradOutput: randn([3, 4], { rng: rng(13) }) }).map((g) => Array.from(g.data));
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first[1].some((v) => v !== 0)).toBe(true);
  });
});
