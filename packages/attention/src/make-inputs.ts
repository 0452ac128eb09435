import { describe, noGrad, randn, rangeError, rng, type Rng, type Tensor, tensor, typeError } from '@attograd/tensor';
import { softmax } from '@attograd/ops';
import { causalMask } from './mask';
import type { InputSizes } from './registry-types';

/**
 * Seeded random inputs for the registry's `makeInputs`. Every entry draws from one generator in a
 * fixed order, so equal sizes and seeds give equal inputs on every machine.
 */

export interface ResolvedSizes {
  /** Batch axes of X-shaped tensors: [] or [batch]. */
  batch: number[];
  /** Batch axes of per-head tensors (stages 1–4): batch, plus [heads] when heads > 1. */
  headBatch: number[];
  seq: number;
  dModel: number;
  heads: number;
  /** d_k = dModel / heads. */
  headDim: number;
  causal: boolean;
  random: Rng;
}

function positiveInteger(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw rangeError(fn, `sizes.${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** Checks `sizes` and fills in the defaults (no batch axis, 1 head, seed 0, not causal). */
export function resolveSizes(fn: string, sizes: InputSizes): ResolvedSizes {
  if (sizes === null || typeof sizes !== 'object')
    throw typeError(fn, `sizes must be an object { seq, dModel, batch?, heads?, seed? }, got ${describe(sizes)}`);
  const seq = positiveInteger(fn, 'seq', sizes.seq);
  const dModel = positiveInteger(fn, 'dModel', sizes.dModel);
  const heads = sizes.heads === undefined ? 1 : positiveInteger(fn, 'heads', sizes.heads);
  if (dModel % heads !== 0) throw rangeError(fn, `sizes.heads (${heads}) must divide sizes.dModel (${dModel})`);
  const batch = sizes.batch === undefined ? [] : [positiveInteger(fn, 'batch', sizes.batch)];
  const seed = sizes.seed ?? 0;
  if (!Number.isInteger(seed)) throw typeError(fn, `sizes.seed must be an integer, got ${describe(seed)}`);
  return {
    batch,
    headBatch: heads > 1 ? [...batch, heads] : batch,
    seq,
    dModel,
    heads,
    headDim: dModel / heads,
    causal: sizes.causal === true,
    random: rng(seed),
  };
}

/** A differentiable leaf of standard normal values times `factor`, plus `offset`. */
export function leaf(random: Rng, shape: readonly number[], factor = 1, offset = 0): Tensor {
  const t = randn(shape, { rng: random });
  for (let i = 0; i < t.data.length; i++) t.data[i] = offset + factor * t.data[i];
  t.requiresGrad = true;
  return t;
}

/** A projection weight [rows, columns], scaled by 1/√rows so that X·W keeps X's scale. */
export function weight(random: Rng, rows: number, columns: number): Tensor {
  return leaf(random, [rows, columns], 1 / Math.sqrt(rows));
}

/** A row-stochastic leaf [..., T, T] (softmax of random logits), as attention weights are. */
export function probabilities(random: Rng, shape: readonly number[]): Tensor {
  const p = noGrad(() => softmax(randn(shape, { rng: random }), -1));
  p.requiresGrad = true;
  return p;
}

/** γ ≈ 1 and β ≈ 0 with a little noise, so that neither gradient is special. */
export function affine(random: Rng, d: number): { gamma: Tensor; beta: Tensor } {
  return { gamma: leaf(random, [d], 0.1, 1), beta: leaf(random, [d], 0.1) };
}

/** `{ mask }` (the causal mask) when the sizes ask for causal attention, else `{}`. */
export function maskInputs(sizes: ResolvedSizes): { mask?: Tensor } {
  return sizes.causal ? { mask: causalMask(sizes.seq) } : {};
}

/** A number as a one-element constant tensor (for `dK` and `heads`). */
export function constant(value: number): Tensor {
  return tensor(value);
}
