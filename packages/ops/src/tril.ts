import { allocate, type Op, defineOp, describe, Tensor, typeError } from '@attograd/tensor';
import { checkMinRank, checkTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'tril',
  definition:
    'Y[…, i, j] = X[…, i, j] where j − i ≤ k, else 0 (the lower triangle on the last two axes; k = diagonal). triu keeps j − i ≥ k.',
  kind: 'linear',
  backward: { x: 'dX = tril(dY, k)' },
  steps: ['Y = M ⊙ X with a constant 0/1 mask M: linear, and self-adjoint', 'dX = M ⊙ dY = tril(dY, k)'],
  saves: 'the diagonal offset k',
  notes: ['for triu the rule is dX = triu(dY, k)'],
  ko: {
    definition: 'j − i ≤ k이면 Y[…, i, j] = X[…, i, j], 아니면 0 (마지막 두 축의 아래 삼각형; k = 대각선 번호). triu는 j − i ≥ k를 남긴다.',
    steps: ['상수 0/1 마스크 M으로 Y = M ⊙ X: 선형이며 자기 수반이다', 'dX = M ⊙ dY = tril(dY, k)'],
    saves: '대각선 오프셋 k',
    notes: ['triu의 규칙은 dX = triu(dY, k)이다'],
  },
};

const triangleOp: Op<{ lower: boolean; diagonal: number }> = defineOp<{ lower: boolean; diagonal: number }>(
  {
    name: 'triangle',
    inputNames: ['x'],
    forward([x], { lower, diagonal }) {
      const [rows, columns] = x.shape.slice(-2);
      const out = allocate(x.dtype, x.size);
      for (let base = 0; base < x.size; base += rows * columns) {
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < columns; j++) {
            const keep = lower ? j - i <= diagonal : j - i >= diagonal;
            if (keep) out[base + i * columns + j] = x.data[base + i * columns + j];
          }
        }
      }
      return new Tensor(out, x.shape);
    },
    backward: (dY, { attrs }) => [triangleOp([dY], attrs)],
  },
  { keepsNoGradients: true },
);

function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  checkTensor(op, 'x', x);
  checkMinRank(op, 'x', x, 2);
  if (!Number.isInteger(diagonal)) throw typeError(op, `diagonal must be an integer, got ${describe(diagonal)}`);
  return triangleOp([x], { lower: op === 'tril', diagonal });
}

/**
 * The lower triangle of the last two axes (entries with column − row ≤ diagonal), zeros above.
 *
 * @throws TypeError when x is not a float Tensor or diagonal not an integer; RangeError when x has fewer than 2 axes.
 * @example
 * tril(ones([3, 3]))     // a causal mask: 1 on and below the diagonal
 * tril(ones([3, 3]), -1) // strictly below
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/**
 * The upper triangle of the last two axes (entries with column − row ≥ diagonal), zeros below.
 *
 * @throws as tril.
 * @example
 * triu(ones([3, 3]), 1) // 1 strictly above the diagonal: the future, to mask out
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}
