import { describe, expect, it } from 'vitest';
import { stages, composites } from '@attograd/attention';
import { gradients, randn, rng } from '@attograd/tensor';

/** The same seed gives bit-identical outputs and gradients, run after run. */
describe('determinism', () => {
  it.each([...stages, ...composites].map((entry) => [entry.key, entry] as const))('%s is bit-identical across runs', (_key, entry) => {
    const once = (): number[][] => {
      const inputs = entry.makeInputs({ batch: 2, seq: 5, dModel: 4, heads: 2, seed: 99, causal: true });
      const output = entry.run(inputs);
      const grads = gradients(
        output,
        entry.inputNames.map((name) => inputs[name]),
        { gradOutput: randn(output.shape, { rng: rng(5) }) },
      );
      return [output, ...grads].map((t) => Array.from(t.data));
    };
    const first = once();
    const second = once();
    // Compare bit patterns (Object.is also separates 0 from −0).
    first.forEach((values, i) => values.forEach((v, j) => expect(Object.is(v, second[i][j])).toBe(true)));
  });
});
