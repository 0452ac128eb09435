import { allocate, describe, isRng, type Rng, rng as createRng, rangeError, Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';

export const derivation: Derivation = {
  op: 'dropout',
  definition: 'Y = X ⊙ M with M_i = 1/(1 − p) with probability 1 − p, else 0 (drawn from a seeded rng); identity when not training or p = 0',
  kind: 'composite',
  backward: { x: 'dX = dY ⊙ M (the same mask)' },
  steps: [
    'for a fixed mask, Y = M ⊙ X is linear in X, so dX = M ⊙ dY',
    'scaling the kept values by 1/(1 − p) keeps E[Y] = X, so evaluation needs no rescaling',
    'the mask is a constant saved by mul, so backward reuses exactly the forward’s draw',
  ],
  saves: 'the mask M',
};

let sharedRng: Rng | null = null;

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Whether to drop (training) or pass x through (evaluation). Default true. */
  training?: boolean;
  /** The generator to draw the mask from: `rng(seed)`. Default: one shared generator seeded with 0. */
  rng?: Rng;
}

/**
 * Zeroes each element with probability p and scales the others by 1/(1 − p), with a seeded
 * generator; returns x itself when `training` is false or p = 0 (as PyTorch), zeros when p = 1.
 *
 * @throws TypeError when x is not a float Tensor or rng does not come from rng(seed); RangeError
 * when p is outside [0, 1].
 * @example
 * dropout(h, 0.1, { rng: rng(42) })        // training
 * dropout(h, 0.1, { training: false })     // h itself
 */
export function dropout(x: Tensor, p: number, options: DropoutOptions = {}): Tensor {
  checkTensor('dropout', 'x', x);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw rangeError('dropout', `p must be a probability in [0, 1], got ${describe(p)}`);
  if (options.rng !== undefined && !isRng(options.rng)) throw typeError('dropout', `rng must come from rng(seed), got ${describe(options.rng)}`);
  if (options.training === false || p === 0) return x;
  const generator = options.rng ?? (sharedRng ??= createRng(0));
  const mask = allocate(x.dtype, x.size);
  const kept = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.uniform() >= p ? kept : 0;
  return mul(x, new Tensor(mask, x.shape));
}
