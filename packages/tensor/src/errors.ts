/**
 * Error helpers. Every message names the op, the argument and the shapes or values involved,
 * so a user can see at once which call was wrong and why.
 */

/**
 * Formats a shape as `[2, 3]` (a scalar is `[]`).
 *
 * @example
 * formatShape(x.shape) // '[2, 3]'
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A wrong shape, a bad axis, a non-finite value where none is allowed: a RangeError whose message
 * starts with the op's name.
 *
 * @example
 * throw rangeError('myOp', `x must have 2 axes, got shape ${formatShape(x.shape)}`);
 */
export function rangeError(op: string, message: string): RangeError {
  return new RangeError(`${op}: ${message}`);
}

/**
 * A wrong kind of argument (not a tensor, not a number, mixed dtypes): a TypeError whose message
 * starts with the op's name.
 *
 * @example
 * throw typeError('myOp', `x must be a Tensor, got ${describe(x)}`);
 */
export function typeError(op: string, message: string): TypeError {
  return new TypeError(`${op}: ${message}`);
}

/**
 * Describes any value briefly for an error message.
 *
 * @example
 * describe([1, 2]) // 'an array of length 2'
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object' && 'shape' in value && 'dtype' in value && Array.isArray(value.shape)) {
    return `a Tensor of shape ${formatShape(value.shape)}`;
  }
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}
