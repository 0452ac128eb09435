import { checkMinRank, checkTensor, describe, formatShape, rangeError, shapesEqual, Tensor, typeError } from '@attograd/tensor';

/**
 * Argument checks shared by the stages and the composites. Every error names the function the
 * user called, the argument and the shapes involved, so a wrong call explains itself.
 */

/** The tensor and rank checks are @attograd/tensor's (one copy for ops and stages). */
export { checkMinRank, checkTensor };

/** Throws unless `options` is undefined or a plain object. */
export function checkOptions(fn: string, argument: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw typeError(fn, `${argument} must be an object, got ${describe(options)}`);
  }
}

/** Throws a TypeError unless `value` is an object (the weights argument), naming its fields. */
export function checkWeightsObject(fn: string, value: unknown, fields: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Tensor) {
    throw typeError(fn, `weights must be an object ${fields}, got ${describe(value)}`);
  }
}

/**
 * A projection weight for `x @ w`: a matrix whose row count is x's last dimension, of x's dtype
 * (so a mismatch is reported with the caller's argument names, not matmul's `a` and `b`). Returns
 * its column count.
 */
export function checkWeight(fn: string, name: string, w: unknown, x: Tensor): number {
  const weight = checkTensor(fn, name, w);
  const d = x.shape[x.rank - 1];
  if (weight.rank !== 2 || weight.shape[0] !== d) {
    throw rangeError(
      fn,
      `${name} must have shape [${d}, n] so that x @ ${name} works for x of shape ${formatShape(x.shape)}, ` +
        `got ${formatShape(weight.shape)}`,
    );
  }
  if (weight.dtype !== x.dtype) {
    throw typeError(
      fn,
      `x is ${x.dtype} but ${name} is ${weight.dtype} (shapes ${formatShape(x.shape)} and ${formatShape(weight.shape)}); convert one with .to('${x.dtype}')`,
    );
  }
  return weight.shape[1];
}

/** Throws unless `value` has exactly `shape`. */
export function checkShapeIs(fn: string, name: string, value: Tensor, shape: readonly number[], why: string): void {
  if (!shapesEqual(value.shape, shape)) {
    throw rangeError(fn, `${name} must have shape ${formatShape(shape)} ${why}, got ${formatShape(value.shape)}`);
  }
}

/** γ and β of a layer norm over the last axis: shape [d] each. */
export function checkAffine(fn: string, gamma: unknown, beta: unknown, d: number, x: Tensor): void {
  for (const [name, value] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    const t = checkTensor(fn, name, value);
    checkShapeIs(fn, name, t, [d], `(the last axis of x, shape ${formatShape(x.shape)})`);
  }
}

/** ε of a layer norm: a positive finite number. */
export function checkEps(fn: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps <= 0) {
    throw rangeError(fn, `eps must be a positive finite number, got ${describe(eps)}`);
  }
  return eps;
}
