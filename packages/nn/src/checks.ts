import { checkAnyTensor, checkInteger, describe, type DType, formatShape, rangeError, type Tensor, typeError } from '@attograd/tensor';

/**
 * Argument checks shared by the layers. Errors name the layer and method (`Linear.forward`), the
 * argument and the shapes, as everywhere in attograd.
 */

/**
 * Tensor's checks, the one copy of each: a tensor argument of any dtype (ids, masks, inputs whose
 * dtype is checked against the layer's), and an integer ≥ min (a size or a count: a TypeError
 * when it is not a number, a RangeError when it is not an integer ≥ min).
 */
export { checkAnyTensor, checkInteger };

/** Throws a RangeError unless `value` is a number in [0, 1). */
export function checkProbability(fn: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw rangeError(fn, `${argument} must be a number in [0, 1), got ${describe(value)}`);
  }
  return value;
}

/** Throws unless x is a float tensor whose last axis has `size` elements and whose dtype is `dtype`. */
export function checkFeatures(fn: string, x: unknown, size: number, dtype: DType, what: string): Tensor {
  const input = checkAnyTensor(fn, 'x', x);
  if (input.rank < 1 || input.shape[input.rank - 1] !== size) {
    throw rangeError(fn, `x must have shape [..., ${size}] (${what}), got ${formatShape(input.shape)}`);
  }
  if (input.dtype !== dtype) throw typeError(fn, `x is ${input.dtype} but the layer's parameters are ${dtype}`);
  return input;
}

/** Throws unless `options` is undefined or a plain object. */
export function checkOptions(fn: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw typeError(fn, `options must be an object, got ${describe(options)}`);
  }
}
