import { allocate, allocationStats, type DType, sizeOf, stridesOf, Tensor, type TensorData } from '@attograd/tensor';
import { neg } from '../src/neg';
import fc from 'fast-check';

/**
 * The general path, element by element: for each flat position of the output, the flat position
 * of each operand (its coordinates, with broadcast axes at 0). Slow and obviously right; the fast
 * paths of the element-wise kernels, where and sumToShape are tested against it.
 */
export function sourceIndex(shape: readonly number[], out: readonly number[], flat: number): number {
  const strides = stridesOf(shape);
  const offset = out.length - shape.length;
  let rest = flat;
  let index = 0;
  for (let axis = out.length - 1; axis >= 0; axis--) {
    const coordinate = rest % out[axis];
    rest = Math.floor(rest / out[axis]);
    if (axis >= offset && shape[axis - offset] !== 1) index += coordinate * strides[axis - offset];
  }
  return index;
}

/** out[i] = f(operands at i), stored into a typed array of `dtype` (so it rounds as a kernel's store does). */
export function referenceMap(
  dtype: DType,
  out: readonly number[],
  operands: readonly Tensor[],
  f: (...values: number[]) => number,
): TensorData {
  const result = allocate(dtype, sizeOf(out));
  for (let i = 0; i < result.length; i++) result[i] = f(...operands.map((t) => t.data[sourceIndex(t.shape, out, i)]));
  return result;
}

/**
 * Shapes that broadcast together, for n operands: a full shape (rank 0–4, dimensions 0–11 so that
 * empty tensors, size-1 axes and the remainder of an 8-wide unrolled loop all occur), and per
 * operand a copy with some leading axes dropped and some dimensions set to 1.
 */
export function broadcastShapesArbitrary(count: number): fc.Arbitrary<{ full: number[]; shapes: number[][] }> {
  const dim = fc.oneof(fc.integer({ min: 1, max: 11 }), fc.constantFrom(0, 1, 1, 64));
  return fc
    .array(dim, { minLength: 0, maxLength: 4 })
    .filter((full) => sizeOf(full) <= 4096)
    .chain((full) =>
      fc
        .array(
          fc.record({
            dropped: fc.integer({ min: 0, max: full.length }),
            ones: fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
          }),
          { minLength: count, maxLength: count },
        )
        .map((narrowings) => ({
          full,
          shapes: narrowings.map(({ dropped, ones }) => full.map((d, axis) => (ones[axis] ? 1 : d)).slice(dropped)),
        })),
    );
}

/** Values of `shape`: mostly normal numbers, with NaN, ±∞, −0 and exact zeros sprinkled in. */
export function specialValues(shape: readonly number[], dtype: DType, seed: number): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const specials = [Number.NaN, Infinity, -Infinity, -0, 0];
  for (let i = 0; i < data.length; i++) {
    const u = next();
    data[i] = u < 0.1 ? specials[Math.floor(next() * specials.length)] : (next() - 0.5) * 10;
  }
  return new Tensor(data, shape);
}

/** Bitwise equality of two typed arrays (NaN equals NaN, −0 differs from 0). */
export function sameBits(actual: TensorData, expected: TensorData): boolean {
  if (actual.length !== expected.length || actual.constructor !== expected.constructor) return false;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return false;
  return true;
}

/** Rounding to `dtype` as a kernel's store does: Math.fround for float32, none for float64. */
export function roundTo(dtype: DType): (value: number) => number {
  return dtype === 'float32' ? Math.fround : (value) => value;
}

/** `values` as a leaf that requires a gradient (its own copy of the data). */
export function leaf(values: Tensor): Tensor {
  return new Tensor(values.data.slice(), values.shape, { requiresGrad: true });
}

/**
 * Puts a dead buffer of `size` elements of `dtype`, filled with NaN, into the buffer pool, the
 * only way a program can: the intermediate gradient of a backward pass through neg(neg(x)) with a
 * NaN cotangent (the pass frees it once the inner neg's rule has run). `size` must be large
 * enough to be pooled (1024 elements); start from an empty pool (setBufferPoolLimit(0), then on
 * again) so that the pass takes no pooled buffer itself.
 */
export function poisonPool(dtype: DType, size: number): void {
  const x = new Tensor(allocate(dtype, size).fill(Number.NaN), [size], { requiresGrad: true });
  const released = allocationStats().releasedBytes;
  neg(neg(x)).backward(new Tensor(allocate(dtype, size).fill(Number.NaN), [size]));
  const bytes = size * (dtype === 'float32' ? 4 : 8);
  if (allocationStats().releasedBytes - released < bytes) throw new Error('poisonPool: the pass gave no buffer to the pool');
}
