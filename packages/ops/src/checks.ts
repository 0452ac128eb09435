import { describe, formatShape, rangeError, Tensor, tensor, typeError } from '@attograd/tensor';

/** Throws unless `value` is a Tensor, naming the op and the argument. */
export function checkTensor(op: string, argument: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    const hint = Array.isArray(value) ? ' (wrap arrays with tensor(...))' : '';
    throw typeError(op, `${argument} must be a Tensor, got ${describe(value)}${hint}`);
  }
  return value;
}

/** A tensor argument that may also be given as a plain number (made a scalar of `like`'s dtype). */
export function tensorOrNumber(op: string, argument: string, value: unknown, like: Tensor): Tensor {
  if (typeof value === 'number') return tensor(value, { dtype: like.dtype });
  return checkTensor(op, argument, value);
}

/** Throws unless `value` is a finite number. */
export function checkFinite(op: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw typeError(op, `${argument} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `x` has at least `rank` axes. */
export function checkMinRank(op: string, argument: string, x: Tensor, rank: number): void {
  if (x.rank < rank) {
    throw rangeError(op, `${argument} must have at least ${rank} axes, got shape ${formatShape(x.shape)}`);
  }
}
