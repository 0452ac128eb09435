import { sizeOf, stridesOf } from './shape';

/**
 * How a broadcast walks memory, in blocks: the output is `outer` blocks of `inner` consecutive
 * elements, and inside a block every operand either advances one element at a time (stride 1)
 * or stays on one element (stride 0, broadcast). Kernels loop over blocks, not elements, so no
 * per-element index arithmetic is needed:
 *
 *   out[o·inner + j] = f(a[offsets[0][o] + j·innerStrides[0]], b[offsets[1][o] + j·innerStrides[1]], …)
 *
 * The plan merges adjacent axes along which every operand behaves alike, so the common patterns
 * are one or two loops: same shape (one block), a scalar (stride 0), a trailing-axis vector
 * `[B, T, d] + [d]` (blocks of d), a `[T, T]` mask against `[B, H, T, T]` (blocks of T·T).
 */
export interface BroadcastPlan {
  /** Number of blocks. */
  readonly outer: number;
  /** Length of each block (the merged innermost axes). */
  readonly inner: number;
  /** For each operand, the flat index of its first element in each block. */
  readonly offsets: readonly Int32Array[];
  /** For each operand, 1 when it advances inside a block, 0 when it is broadcast there. */
  readonly innerStrides: readonly number[];
}

/**
 * The block plan for reading each of `shapes` (each broadcastable to `out`) while writing `out`
 * in row-major order. Shapes are assumed checked (see `broadcastShapes`).
 *
 * @example
 * broadcastPlan([[2, 3], [3]], [2, 3]) // { outer: 2, inner: 3, offsets: [[0, 3], [0, 0]], innerStrides: [1, 1] }
 */
export function broadcastPlan(shapes: readonly (readonly number[])[], out: readonly number[]): BroadcastPlan {
  const rank = out.length;
  // Each operand's stride along each output axis: 0 where it is broadcast (or the axis is 1).
  const strides = shapes.map((shape) => {
    const own = stridesOf(shape);
    const offset = rank - shape.length;
    return out.map((dim, axis) => (axis >= offset && shape[axis - offset] === dim && dim !== 1 ? own[axis - offset] : 0));
  });
  // Merge adjacent axes (dropping axes of size 1) while every operand is contiguous across them.
  const dims: number[] = [];
  const merged: number[][] = shapes.map(() => []);
  for (let axis = 0; axis < rank; axis++) {
    const dim = out[axis];
    if (dim === 1) continue;
    const last = dims.length - 1;
    const joins =
      last >= 0 &&
      strides.every((s, k) => {
        const previous = merged[k][last];
        return (previous === 0 && s[axis] === 0) || (s[axis] !== 0 && previous === s[axis] * dim);
      });
    if (joins) {
      dims[last] *= dim;
      strides.forEach((s, k) => {
        merged[k][last] = s[axis];
      });
    } else {
      dims.push(dim);
      strides.forEach((s, k) => merged[k].push(s[axis]));
    }
  }
  if (dims.length === 0) {
    const size = sizeOf(out);
    return { outer: size, inner: 1, offsets: shapes.map(() => new Int32Array(size)), innerStrides: shapes.map(() => 0) };
  }
  const inner = dims[dims.length - 1];
  const outerDims = dims.slice(0, -1);
  const outer = sizeOf(outerDims);
  const offsets = merged.map((s) => blockOffsets(outerDims, s, outer));
  return { outer, inner, offsets, innerStrides: merged.map((s) => s[s.length - 1]) };
}

/** The flat offset of each block: an odometer over the outer axes stepping by the operand's strides. */
function blockOffsets(dims: readonly number[], strides: readonly number[], count: number): Int32Array {
  const offsets = new Int32Array(count);
  const coords = new Array<number>(dims.length).fill(0);
  let position = 0;
  for (let o = 0; o < count; o++) {
    offsets[o] = position;
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      if (++coords[axis] < dims[axis]) {
        position += strides[axis];
        break;
      }
      coords[axis] = 0;
      position -= strides[axis] * (dims[axis] - 1);
    }
  }
  return offsets;
}
