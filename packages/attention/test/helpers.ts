import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { randn, rng, type Rng, Tensor } from '@attograd/tensor';
import type { RegistryEntry, StageInputs } from '../src/index';

/** A tensor as stored in the golden JSON (non-finite numbers as strings). */
export interface GoldenTensor {
  shape: number[];
  data: (number | string)[];
}

export interface GoldenCase {
  name: string;
  op: 'selfAttention' | 'multiHeadAttention' | 'attentionBlock';
  attrs: { causal?: boolean; heads?: number; eps?: number; mask?: GoldenTensor };
  inputs: GoldenTensor[];
  inputNames: string[];
  cotangent: GoldenTensor;
  output: GoldenTensor;
  grads: (GoldenTensor | null)[];
  hvp?: { direction: GoldenTensor[]; result: GoldenTensor[] };
  intermediates?: Record<string, GoldenTensor>;
}

export function loadGolden(): { generator: string; cases: GoldenCase[] } {
  const path = fileURLToPath(new URL('./golden/attention.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function fromGolden(t: GoldenTensor, requiresGrad = false): Tensor {
  return new Tensor(Float64Array.from(t.data, Number), t.shape, { requiresGrad });
}

/** max |a − b| over all elements (shapes must match). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let worst = 0;
  for (let i = 0; i < a.size; i++) {
    const gap = Math.abs(a.data[i] - b.data[i]);
    worst = Number.isNaN(gap) ? Infinity : Math.max(worst, gap);
  }
  return worst;
}

/** max |a − b| / max(max|a|, max|b|, floor). */
export function relativeDiff(a: Tensor, b: Tensor, floor = 1e-300): number {
  let scale = floor;
  for (let i = 0; i < a.size; i++) scale = Math.max(scale, Math.abs(a.data[i]), Math.abs(b.data[i]));
  return maxAbsDiff(a, b) / scale;
}

export function maxAbs(t: Tensor): number {
  let m = 0;
  for (const v of t.data) m = Math.max(m, Math.abs(v));
  return m;
}

export function allFinite(t: Tensor): boolean {
  return t.data.every(Number.isFinite);
}

/** A seeded random cotangent shaped like t (never all ones: see NUMERICS.md). */
export function cotangentFor(t: Tensor, seed: number): Tensor {
  return randn(t.shape, { rng: rng(seed) });
}

/** A random 0/1 mask [..., T, T]; `keepDiagonal` guarantees every row one allowed key. */
export function randomMask(random: Rng, shape: readonly number[], keepDiagonal = true): Tensor {
  const t = shape[shape.length - 1];
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    const row = Math.floor(i / t) % shape[shape.length - 2];
    data[i] = (keepDiagonal && row === i % t) || random.uniform() < 0.6 ? 1 : 0;
  }
  return new Tensor(data, shape);
}

/** The registry entry's function of its differentiable inputs, as gradcheck wants it. */
export function asFunction(entry: RegistryEntry, inputs: StageInputs): { fn: (...xs: Tensor[]) => Tensor; args: Tensor[] } {
  const args = entry.inputNames.map((name) => inputs[name]);
  const fn = (...xs: Tensor[]): Tensor => entry.run({ ...inputs, ...Object.fromEntries(entry.inputNames.map((name, i) => [name, xs[i]])) });
  return { fn, args };
}

/** A copy of t as a fresh leaf. */
export function leafCopy(t: Tensor, requiresGrad = true): Tensor {
  return new Tensor(t.data.slice(), t.shape, { requiresGrad });
}
