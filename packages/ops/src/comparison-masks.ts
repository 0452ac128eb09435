import { allocate, broadcastShapes, isFloatDType, sizeOf, Tensor, tensor, typeError } from '@attograd/tensor';
import { checkAnyTensor } from './checks';
import { mapBroadcast } from './kernels/elementwise';

type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

const tests: Record<Comparison, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
};

/**
 * A 0/1 mask of `a ∘ b` with broadcasting; either may be a number (not both). The mask is a
 * constant (comparisons have no gradient) of the float dtype of the operands (float64 when both
 * are int32), so it works as a where/maskedFill condition and multiplies float tensors. NaN
 * compares unequal to everything, itself included (ne is 1, the others 0), as IEEE and PyTorch.
 */
function compare(op: Comparison, a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof a === 'number' && typeof b === 'number')
    throw typeError(op, `at least one of a and b must be a Tensor, got two numbers (${a}, ${b})`);
  const left = typeof a === 'number' ? null : checkAnyTensor(op, 'a', a);
  const right = typeof b === 'number' ? null : checkAnyTensor(op, 'b', b);
  const x = left ?? tensor(a as number);
  const y = right ?? tensor(b as number);
  const float = [left, right].find((t) => t !== null && isFloatDType(t.dtype));
  const shape = broadcastShapes(op, x.shape, y.shape, ['a', 'b']);
  const test = tests[op];
  const out = allocate(float?.dtype ?? 'float64', sizeOf(shape));
  mapBroadcast(out, x, y, shape, (u, v) => (test(u, v) ? 1 : 0));
  return new Tensor(out, shape);
}

/**
 * a = b element-wise as a 0/1 mask (broadcasting; either may be a number; int32 allowed).
 *
 * @example
 * eq(tensor([1, 2, 3]), 2) // [0, 1, 0]
 */
export const eq = (a: Tensor | number, b: Tensor | number): Tensor => compare('eq', a, b);
/**
 * a ≠ b element-wise as a 0/1 mask (NaN ≠ NaN is 1).
 *
 * @example
 * ne(ids, padId) // 1 on real tokens
 */
export const ne = (a: Tensor | number, b: Tensor | number): Tensor => compare('ne', a, b);
/**
 * a > b element-wise as a 0/1 mask.
 *
 * @example
 * where(gt(x, 0), x, 0) // relu, by hand
 */
export const gt = (a: Tensor | number, b: Tensor | number): Tensor => compare('gt', a, b);
/**
 * a ≥ b element-wise as a 0/1 mask.
 *
 * @example
 * ge(tensor([1, 2]), 2) // [0, 1]
 */
export const ge = (a: Tensor | number, b: Tensor | number): Tensor => compare('ge', a, b);
/**
 * a < b element-wise as a 0/1 mask.
 *
 * @example
 * maskedFill(scores, lt(keyPositions, 0), -Infinity)
 */
export const lt = (a: Tensor | number, b: Tensor | number): Tensor => compare('lt', a, b);
/**
 * a ≤ b element-wise as a 0/1 mask.
 *
 * @example
 * le(tensor([1, 2]), 1) // [1, 0]
 */
export const le = (a: Tensor | number, b: Tensor | number): Tensor => compare('le', a, b);
