import { describe, expect, it } from 'vitest';
import { rng } from '@attograd/tensor';
import { formatReport, gradcheck, type GradcheckMode } from '@attograd/gradcheck';
import { composites, type InputSizes, type RegistryEntry, stages } from '../src/index';
import { asFunction, randomMask } from './helpers';

/**
 * Every stage alone and every composite, against finite differences (@attograd/gradcheck, default
 * tolerances atol 1e-8, rtol 1e-7): full Jacobians on small sizes, random projections (fast mode)
 * on larger ones.
 */
const entries: RegistryEntry[] = [...stages, ...composites];

const configurations: { label: string; sizes: InputSizes; mode: GradcheckMode }[] = [
  { label: 'single head [3, 4]', sizes: { seq: 3, dModel: 4, seed: 1 }, mode: 'full' },
  { label: 'batched, 2 heads [2, 3, 4]', sizes: { batch: 2, seq: 3, dModel: 4, heads: 2, seed: 2 }, mode: 'full' },
  { label: 'causal [4, 4]', sizes: { seq: 4, dModel: 4, causal: true, seed: 3 }, mode: 'full' },
  {
    label: 'batched causal, 4 heads [2, 8, 16] (fast)',
    sizes: { batch: 2, seq: 8, dModel: 16, heads: 4, causal: true, seed: 4 },
    mode: 'fast',
  },
  { label: 'single head [16, 32] (fast)', sizes: { seq: 16, dModel: 32, seed: 5 }, mode: 'fast' },
];

function expectPasses(entry: RegistryEntry, inputs: ReturnType<RegistryEntry['makeInputs']>, mode: GradcheckMode, seed: number): void {
  const { fn, args } = asFunction(entry, inputs);
  const report = gradcheck(fn, args, { mode, seed });
  expect(report.ok, formatReport(report)).toBe(true);
  expect(report.inputs).toHaveLength(entry.inputNames.length);
  for (const input of report.inputs) expect(input.vacuous, `${entry.inputNames[input.index]}: ${input.vacuousReason}`).toBe(false);
}

describe.each(configurations)('gradcheck, $label', ({ sizes, mode }) => {
  it.each(entries.map((entry) => [entry.key, entry] as const))('%s', (_key, entry) => {
    expectPasses(entry, entry.makeInputs(sizes), mode, sizes.seed ?? 0);
  });
});

describe('gradcheck with an explicit mask', () => {
  const masked = entries.filter((entry) => entry.constantNames.includes('mask'));

  it('covers the softmax stage and every composite', () => {
    expect(masked.map((entry) => entry.key).sort()).toEqual(['attentionBlock', 'multiHeadAttention', 'selfAttention', 'softmax']);
  });

  it.each(masked.map((entry) => [entry.key, entry] as const))('%s with a shared [T, T] mask', (_key, entry) => {
    const inputs = entry.makeInputs({ seq: 4, dModel: 4, heads: entry.key === 'multiHeadAttention' ? 2 : 1, seed: 6 });
    expectPasses(entry, { ...inputs, mask: randomMask(rng(60), [4, 4]) }, 'full', 6);
  });

  it.each(masked.map((entry) => [entry.key, entry] as const))('%s with a per-batch [B, T, T] mask', (_key, entry) => {
    const inputs = entry.makeInputs({ batch: 2, seq: 4, dModel: 4, heads: entry.key === 'multiHeadAttention' ? 2 : 1, seed: 7 });
    // The softmax stage's scores are [B, T, T] here (one head), so the mask fits them directly.
    expectPasses(entry, { ...inputs, mask: randomMask(rng(70), [2, 4, 4]) }, 'full', 7);
  });

  it('multiHeadAttention with a per-head [B, H, T, T] mask', () => {
    const entry = composites.find((c) => c.key === 'multiHeadAttention')!;
    const inputs = entry.makeInputs({ batch: 2, seq: 3, dModel: 4, heads: 2, seed: 8 });
    expectPasses(entry, { ...inputs, mask: randomMask(rng(80), [2, 2, 3, 3]) }, 'full', 8);
  });
});
