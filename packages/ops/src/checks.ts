import {
  checkAnyTensor,
  checkMinRank,
  checkTensor,
  describe,
  formatShape,
  rangeError,
  type Tensor,
  tensor,
  typeError,
} from '@attograd/tensor';

/** The checks of a tensor argument (any dtype; float for a differentiable one) and of its rank: tensor's, the one copy. */
export { checkAnyTensor, checkTensor, checkMinRank };

/** Throws unless `value` is an int32 Tensor of indices, naming the op, the argument and its dtype and shape. */
export function checkIndices(op: string, argument: string, value: unknown): Tensor {
  const indices = checkAnyTensor(op, argument, value);
  if (indices.dtype !== 'int32') {
    throw typeError(
      op,
      `${argument} must be an int32 tensor of indices, got ${indices.dtype} of shape ${formatShape(indices.shape)} (make it with tensor(values, { dtype: 'int32' }))`,
    );
  }
  return indices;
}

/** Throws unless every index lies in [0, size), naming the first one that does not. */
export function checkIndexRange(op: string, argument: string, indices: Tensor, size: number, what: string): void {
  for (let i = 0; i < indices.size; i++) {
    const index = indices.data[i];
    if (index < 0 || index >= size) {
      throw rangeError(op, `${argument}[${i}] (flat position) is ${index}, outside [0, ${size}) for ${what}`);
    }
  }
}

/** A tensor argument that may also be given as a plain number (made a scalar of `like`'s dtype). */
export function tensorOrNumber(op: string, argument: string, value: unknown, like: Tensor): Tensor {
  if (typeof value === 'number') return tensor(value, { dtype: like.dtype });
  return checkTensor(op, argument, value);
}

/**
 * The two operands of a binary op, either of which may be a number (made a scalar of the other's
 * dtype); at least one must be a float Tensor. `sub(1, x)` works as `sub(tensor(1), x)`.
 */
export function operands(op: string, a: unknown, b: unknown, names: readonly [string, string] = ['a', 'b']): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') {
    throw typeError(op, `at least one of ${names[0]} and ${names[1]} must be a Tensor, got two numbers (${a}, ${b})`);
  }
  if (typeof a === 'number') {
    const right = checkTensor(op, names[1], b);
    return [tensor(a, { dtype: right.dtype }), right];
  }
  const left = checkTensor(op, names[0], a);
  return [left, tensorOrNumber(op, names[1], b, left)];
}

/** Throws unless `value` is a finite number. */
export function checkFinite(op: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw typeError(op, `${argument} must be a finite number, got ${describe(value)}`);
  }
  return value;
}
