import { allocate, describe, isRng, type Rng, rng as createRng, rangeError, Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';

export const derivation: Derivation = {
  op: 'dropout',
  definition:
    'Y = X ⊙ M with M_i = 1/(1 − p) with probability 1 − p, else 0 (drawn from a seeded rng); identity when not training or p = 0',
  kind: 'composite',
  backward: { x: 'dX = dY ⊙ M' },
  steps: [
    'for a fixed mask, Y = M ⊙ X is linear in X, so dX = M ⊙ dY',
    'scaling the kept values by 1/(1 − p) keeps E[Y] = X, so evaluation needs no rescaling',
    'the mask is a constant saved by mul, so backward reuses exactly the forward’s draw',
  ],
  saves: 'the mask M',
  notes: ['M is the mask drawn in the forward pass, reused unchanged'],
  ko: {
    definition:
      'Y = X ⊙ M, M_i는 확률 1 − p로 1/(1 − p), 그 밖에는 0 (시드를 고정한 난수 생성기에서 뽑는다); 학습 중이 아니거나 p = 0이면 항등 함수',
    steps: [
      '마스크를 고정하면 Y = M ⊙ X는 X에 대해 선형이므로 dX = M ⊙ dY',
      '남긴 값에 1/(1 − p)를 곱해 E[Y] = X가 되므로 평가할 때 다시 배율을 맞출 필요가 없다',
      '마스크는 mul이 저장하는 상수이므로 역전파는 순전파에서 뽑은 마스크를 그대로 쓴다',
    ],
    saves: '마스크 M',
    notes: ['M은 순전파에서 뽑은 마스크이며 바꾸지 않고 다시 쓴다'],
  },
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
  if (options.rng !== undefined && !isRng(options.rng))
    throw typeError('dropout', `rng must come from rng(seed), got ${describe(options.rng)}`);
  if (options.training === false || p === 0) return x;
  const generator = options.rng ?? (sharedRng ??= createRng(0));
  const mask = allocate(x.dtype, x.size);
  const kept = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.uniform() >= p ? kept : 0;
  return mul(x, new Tensor(mask, x.shape));
}
