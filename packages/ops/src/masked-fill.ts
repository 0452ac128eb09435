import { broadcastShapes, type Tensor } from '@attograd/tensor';
import { checkAnyTensor, checkFinite, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { where } from './where';

export const derivation: Derivation = {
  op: 'maskedFill',
  definition:
    'Y_i = value if mask_i ≠ 0, else X_i (= where(mask, value, X)); here mask ≠ 0 means replace (hide), the opposite polarity of attention’s mask',
  kind: 'composite',
  backward: { x: 'dX = where(mask, 0, dY)' },
  steps: ['maskedFill(X, mask, value) = where(mask, value, X): the rule is that of where, with no gradient for the constant value'],
  saves: 'the mask',
  ko: {
    definition:
      'mask_i ≠ 0이면 Y_i = value, 아니면 Y_i = X_i (= where(mask, value, X)); 여기서 mask ≠ 0은 값을 바꾼다(가린다)는 뜻으로, 어텐션 마스크와 극성이 반대이다',
    steps: ['maskedFill(X, mask, value) = where(mask, value, X)이므로 규칙은 where의 것이고, 상수 value는 기울기를 받지 않는다'],
    saves: 'mask',
  },
};

/**
 * Replaces the elements of x where `mask` is nonzero with `value` (for example −Infinity before a
 * softmax). Filled positions receive no gradient. The mask broadcasts to x's shape; the result has
 * x's shape.
 *
 * @throws TypeError when x or mask is not a Tensor, or value is not a number (NaN included);
 * RangeError when mask does not broadcast with x.
 * @example
 * const causal = tensor([[0, 1], [0, 0]]);           // 1 above the diagonal: the future
 * softmax(maskedFill(scores, causal, -Infinity));     // scores: [2, 2]; row 0 attends to key 0 only
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkTensor('maskedFill', 'x', x);
  checkAnyTensor('maskedFill', 'mask', mask);
  if (typeof value !== 'number' || Number.isNaN(value)) checkFinite('maskedFill', 'value', value);
  // Checked here so a mismatch names maskedFill, x and mask rather than where's own arguments.
  broadcastShapes('maskedFill', x.shape, mask.shape, ['x', 'mask']);
  return where(mask, value, x);
}
