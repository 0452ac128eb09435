/**
 * Fuzzing attention: random sizes (T = 1, d_k = 1 included), batches, heads, causal masks and
 * random masks with fully masked rows. Outputs and gradients stay finite and gradcheck passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composites, multiHeadAttention, selfAttention, stages, type RegistryEntry } from '@attograd/attention';
import { gradcheck } from '@attograd/gradcheck';
import { gradients, randn, rng, Tensor } from '@attograd/tensor';
import { allFinite, runs } from '../src/arbitraries';

const sizes = fc.record({
  batch: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  seq: fc.integer({ min: 1, max: 4 }),
  headDim: fc.integer({ min: 1, max: 3 }),
  heads: fc.integer({ min: 1, max: 2 }),
  causal: fc.boolean(),
  seed: fc.nat({ max: 1_000_000 }),
});

const entries: RegistryEntry[] = [...stages, ...composites];

describe.each(entries.map((entry) => [entry.key, entry] as const))('%s on random sizes', (_key, entry) => {
  it('has finite outputs and gradients, and passes gradcheck (fast mode)', () => {
    fc.assert(
      fc.property(sizes, ({ batch, seq, headDim, heads, causal, seed }) => {
        // With d ≤ 2 a layer norm's output is ±1 whatever its input: its gradient is O(ε) and
        // finite differences of it carry no relative accuracy. The finiteness checks still run.
        const flatLayerNorm = entry.ops.includes('layerNorm') && headDim * heads < 3;
        const inputs = entry.makeInputs({ batch, seq, dModel: headDim * heads, heads, causal, seed });
        const differentiable = entry.inputNames.map((name) => inputs[name]).filter((t): t is Tensor => t !== undefined);
        const fn = (...xs: Tensor[]): Tensor =>
          entry.run({ ...inputs, ...Object.fromEntries(entry.inputNames.map((name, i) => [name, xs[i]])) });
        const output = fn(...differentiable);
        expect(allFinite(output)).toBe(true);
        const grads = gradients(output, differentiable, { gradOutput: randn(output.shape, { rng: rng(seed) }) });
        grads.forEach((grad) => expect(allFinite(grad)).toBe(true));
        if (flatLayerNorm) return;
        const report = gradcheck(fn, differentiable, { mode: 'fast', seed });
        // A vacuous input is legitimate here (T = 1 makes the scores constant); a failure is not.
        for (const input of report.inputs) expect(input.ok || input.vacuous, JSON.stringify(input)).toBe(true);
      }),
      { numRuns: Math.max(5, Math.floor(runs / 4)), seed: 7 },
    );
  });
});

describe('masks with fully masked rows', () => {
  it('give zero rows and zero gradients, never NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 }), fc.nat(), (seq, heads, seed) => {
        const generator = rng(seed);
        const d = 2 * heads;
        const x = randn([seq, d], { rng: generator, requiresGrad: true });
        const [wq, wk, wv, wo] = [0, 1, 2, 3].map(() => randn([d, d], { rng: generator, requiresGrad: true }));
        const mask = new Tensor(
          Float64Array.from({ length: seq * seq }, () => (generator.uniform() < 0.4 ? 1 : 0)),
          [seq, seq],
        );
        const z = heads === 1 ? selfAttention(x, { wq, wk, wv }, { mask }) : multiHeadAttention(x, { wq, wk, wv, wo }, { heads, mask });
        expect(allFinite(z)).toBe(true);
        for (let row = 0; row < seq; row++) {
          const masked = Array.from({ length: seq }, (_, j) => mask.data[row * seq + j]).every((m) => m === 0);
          if (masked) for (let j = 0; j < d; j++) expect(z.data[row * d + j]).toBe(0);
        }
        gradients(z, [x, wq, wk, wv], { gradOutput: randn(z.shape, { rng: generator }) }).forEach((g) => expect(allFinite(g)).toBe(true));
      }),
      { numRuns: runs, seed: 8 },
    );
  });
});
