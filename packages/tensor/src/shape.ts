import { formatShape, rangeError, typeError } from './errors';

/**
 * Number of elements of a tensor of this shape (1 for a scalar).
 *
 * @example
 * sizeOf([2, 3, 4]) // 24
 */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/**
 * Row-major strides: the step in the flat buffer for one step along each axis.
 *
 * @example
 * stridesOf([2, 3, 4]) // [12, 4, 1]
 */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/**
 * Whether two shapes are identical (same rank, same dimensions).
 *
 * @example
 * shapesEqual([2, 3], [2, 3]) // true
 */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Returns `shape` when it is an array of non-negative integers.
 *
 * @throws TypeError naming `op` and `argument` when shape is not an array; RangeError when a
 * dimension is negative or not an integer.
 * @example
 * checkShape('zeros', 'shape', [2, -1]) // RangeError: zeros: shape must hold non-negative integers, got [2, -1]
 */
export function checkShape(op: string, argument: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape)) throw typeError(op, `${argument} must be an array of dimensions, got ${String(shape)}`);
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw rangeError(op, `${argument} must hold non-negative integers, got ${formatShape(shape)}`);
    }
  }
  return shape;
}

/**
 * The shape two shapes broadcast to, NumPy style: align on the right; each pair of dimensions
 * must be equal or one of them 1.
 *
 * @throws RangeError naming `op`, both arguments (`names`) and their shapes when they do not broadcast.
 * @example
 * broadcastShapes('add', [2, 1, 4], [3, 1]) // [2, 3, 4]
 */
export function broadcastShapes(
  op: string,
  a: readonly number[],
  b: readonly number[],
  names: readonly [string, string] = ['a', 'b'],
): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const dimA = a[a.length - rank + i] ?? 1;
    const dimB = b[b.length - rank + i] ?? 1;
    if (dimA !== dimB && dimA !== 1 && dimB !== 1) {
      throw rangeError(
        op,
        `cannot broadcast ${names[0]} of shape ${formatShape(a)} with ${names[1]} of shape ${formatShape(b)} ` +
          `(axis ${i - rank}: ${dimA} vs ${dimB})`,
      );
    }
    out[i] = dimA === 1 ? dimB : dimA;
  }
  return out;
}

/**
 * True when `from` broadcasts to exactly `to` (without growing it): aligned on the right, each
 * dimension of `from` is 1 or equal to `to`'s. The one test of broadcast compatibility.
 *
 * @example
 * broadcastsTo([3, 1], [2, 3, 4]) // true
 * broadcastsTo([2, 3], [3])       // false
 */
export function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  const offset = to.length - from.length;
  return offset >= 0 && from.every((dim, axis) => dim === 1 || dim === to[offset + axis]);
}

/**
 * For each element of the broadcast shape `out`, the flat index of the element of `shape` it
 * reads. Kernels loop over this map instead of recomputing coordinates per element.
 *
 * @example
 * broadcastIndex([3], [2, 3]) // Int32Array [0, 1, 2, 0, 1, 2]
 */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const size = sizeOf(out);
  const index = new Int32Array(size);
  const offset = out.length - shape.length;
  const strides = stridesOf(shape);
  // Odometer over `out`: step the source position by its stride, or by 0 on a broadcast axis.
  const coords = new Array<number>(out.length).fill(0);
  let position = 0;
  for (let i = 0; i < size; i++) {
    index[i] = position;
    for (let axis = out.length - 1; axis >= 0; axis--) {
      const sourceAxis = axis - offset;
      const step = sourceAxis >= 0 && shape[sourceAxis] !== 1 ? strides[sourceAxis] : 0;
      if (++coords[axis] < out[axis]) {
        position += step;
        break;
      }
      coords[axis] = 0;
      position -= step * (out[axis] - 1);
    }
  }
  return index;
}

/**
 * Turns a possibly negative axis into its index in [0, rank), or throws naming the op. Pass the
 * tensor's shape (or just its rank) so the message can show it.
 *
 * @throws TypeError when axis is not an integer; RangeError when it is outside [−rank, rank).
 * @example
 * normalizeAxis('softmax', -1, [2, 5]) // 1
 */
export function normalizeAxis(op: string, axis: unknown, shapeOrRank: readonly number[] | number, argument = 'axis'): number {
  const rank = typeof shapeOrRank === 'number' ? shapeOrRank : shapeOrRank.length;
  const tensorText = typeof shapeOrRank === 'number' ? `a tensor of rank ${rank}` : `a tensor of shape ${formatShape(shapeOrRank)}`;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw typeError(op, `${argument} must be an integer, got ${String(axis)}`);
  }
  if (axis < -rank || axis >= rank) {
    throw rangeError(op, `${argument} ${axis} is out of range for ${tensorText} (valid: ${-rank} to ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * The multi-index of row-major position `flat` in `shape` (the inverse of flattening).
 *
 * @example
 * unravelIndex(5, [2, 3]) // [1, 2]
 */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}
