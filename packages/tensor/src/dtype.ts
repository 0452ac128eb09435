import { countAllocation, takeBuffer } from './buffer-pool';

/**
 * The element types a tensor can hold. float64 is the default: gradient checks need it. int32 holds
 * indices (class targets, token ids, gather positions): it is never differentiable.
 */
export type DType = 'float64' | 'float32' | 'int32';

/** The typed array behind a tensor of each dtype. */
export type TensorData = Float64Array | Float32Array | Int32Array;

/** The dtype of a tensor created without one: float64, because gradient checks need it. */
export const DEFAULT_DTYPE: DType = 'float64';

/**
 * Allocates a zero-filled buffer of `size` elements for `dtype`: a new one, or one the backward
 * driver proved dead and gave to the buffer pool (buffer-pool.ts), zeroed.
 *
 * @example
 * new Tensor(allocate('float64', 6), [2, 3]) // a kernel's output buffer
 */
export function allocate(dtype: DType, size: number): TensorData {
  if (dtype !== 'int32') {
    const reused = takeBuffer(dtype, size);
    if (reused !== null) return reused;
  }
  const data = dtype === 'int32' ? new Int32Array(size) : dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  countAllocation(data.byteLength);
  return data;
}

/**
 * Allocates a buffer of `size` elements for `dtype` whose every element the caller will write
 * before anyone reads it (an element-wise kernel, a copy, a broadcast): as `allocate`, but a
 * buffer reused from the pool is not zeroed first, which saves a pass over memory. Its contents
 * until written are unspecified (zeros when new, a dead gradient's values when reused), so a
 * kernel that leaves any element unwritten, or accumulates with `+=`, must use `allocate`.
 *
 * @example
 * const out = allocateForOverwrite(x.dtype, x.size);
 * for (let i = 0; i < out.length; i++) out[i] = -x.data[i]; // every element written
 */
export function allocateForOverwrite(dtype: DType, size: number): TensorData {
  if (dtype !== 'int32') {
    const reused = takeBuffer(dtype, size, false);
    if (reused !== null) return reused;
  }
  return allocate(dtype, size);
}

/**
 * The dtype that a typed array stands for, or null when it is none of Float64Array, Float32Array, Int32Array.
 *
 * @example
 * dtypeOf(new Float32Array(2)) // 'float32'
 */
export function dtypeOf(data: unknown): DType | null {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return null;
}

export function isDType(value: unknown): value is DType {
  return value === 'float64' || value === 'float32' || value === 'int32';
}

/**
 * Whether values of `dtype` can carry gradients (float64 and float32; int32 cannot).
 *
 * @example
 * isFloatDType('int32') // false
 */
export function isFloatDType(dtype: DType): boolean {
  return dtype !== 'int32';
}
