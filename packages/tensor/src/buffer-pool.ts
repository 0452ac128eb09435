import type { DType, TensorData } from './dtype';

/**
 * A size-keyed pool of float buffers that a backward pass has proved dead, and the counters that
 * measure typed-array allocation.
 *
 * Only the backward driver puts buffers in (`releaseBuffer`), and only buffers it made itself
 * during the pass that nothing else can reach: an intermediate gradient after its op's rule has
 * run, that is no result, no graph value, not the cotangent and not shared with another gradient
 * (see autograd.ts). `allocate` takes from the pool first and zeroes what it takes, so a reused
 * buffer is indistinguishable from a new one; `allocateForOverwrite` skips the zeroing, for the
 * kernels that write every element anyway. Small buffers are not pooled (a fresh one costs
 * about as much as the bookkeeping), and the pool holds at most `limit` bytes, so its memory is
 * bounded; `setBufferPoolLimit(0)` turns it off and empties it.
 */

/** Buffers of fewer elements are never pooled. */
export const POOLED_MIN_ELEMENTS = 1024;
/** The default cap of the pool, in bytes. */
export const DEFAULT_POOL_LIMIT = 64 * 2 ** 20;

const free = new Map<string, TensorData[]>();
let pooledBytes = 0;
let limit = DEFAULT_POOL_LIMIT;

const stats = { allocatedBytes: 0, allocations: 0, reusedBytes: 0, reuses: 0, releasedBytes: 0 };

/** Allocation counters since the process started (or since `resetAllocationStats`). */
export interface AllocationStats {
  /** Bytes of new typed arrays made by `allocate` (and the engine's own copies). */
  allocatedBytes: number;
  /** How many new typed arrays `allocate` made. */
  allocations: number;
  /** Bytes `allocate` served from the pool instead. */
  reusedBytes: number;
  /** How many buffers `allocate` took from the pool. */
  reuses: number;
  /** Bytes the backward driver gave back to the pool. */
  releasedBytes: number;
  /** Bytes held by the pool now. */
  pooledBytes: number;
}

/**
 * The allocation counters: what `allocate` made new and what it reused. Benchmarks read them
 * to measure a step's allocation; they count only buffers made through `allocate` (every op and
 * gradient rule of attograd), not typed arrays a program makes itself.
 *
 * @example
 * const before = allocationStats().allocatedBytes; step(); allocationStats().allocatedBytes - before
 */
export function allocationStats(): AllocationStats {
  return { ...stats, pooledBytes };
}

/**
 * Sets the counters (not the pool) to zero.
 *
 * @example
 * resetAllocationStats(); step(); allocationStats().allocatedBytes // what one step allocated
 */
export function resetAllocationStats(): void {
  stats.allocatedBytes = stats.allocations = stats.reusedBytes = stats.reuses = stats.releasedBytes = 0;
}

/**
 * Caps the bytes the pool may hold (default 64 MB); 0 turns pooling off and empties the pool so
 * its buffers can be collected.
 *
 * @example
 * setBufferPoolLimit(0); // no reuse: every gradient gets a new buffer
 * setBufferPoolLimit(256 * 2 ** 20); // keep up to 256 MB of dead gradient buffers for reuse
 */
export function setBufferPoolLimit(bytes: number): void {
  if (!(bytes >= 0)) throw new RangeError(`setBufferPoolLimit: bytes must be a number ≥ 0, got ${bytes}`);
  limit = bytes;
  if (pooledBytes > limit) {
    free.clear();
    pooledBytes = 0;
  }
}

/** Whether the pool is on (its limit is above 0). */
export function isBufferPoolOn(): boolean {
  return limit > 0;
}

function keyOf(dtype: DType, size: number): string {
  return `${dtype}:${size}`;
}

/**
 * A buffer from the pool, or null when it has none of this dtype and size: zeroed, unless
 * `zeroed` is false (for a kernel that writes every element; see `allocateForOverwrite`).
 */
export function takeBuffer(dtype: DType, size: number, zeroed = true): TensorData | null {
  if (size < POOLED_MIN_ELEMENTS) return null;
  const stack = free.get(keyOf(dtype, size));
  const data = stack?.pop();
  if (data === undefined) return null;
  pooledBytes -= data.byteLength;
  stats.reusedBytes += data.byteLength;
  stats.reuses++;
  if (zeroed) data.fill(0);
  return data;
}

/** Counts a new buffer of `bytes`. */
export function countAllocation(bytes: number): void {
  stats.allocatedBytes += bytes;
  stats.allocations++;
}

/**
 * Gives a dead buffer back. The caller (the backward driver) must know that no tensor anyone can
 * reach wraps it. Returns whether the pool kept it.
 */
export function releaseBuffer(data: TensorData): boolean {
  if (data.length < POOLED_MIN_ELEMENTS || data instanceof Int32Array) return false;
  // Only whole buffers: a view into a larger one may have neighbours still in use.
  if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) return false;
  if (pooledBytes + data.byteLength > limit) return false;
  const key = keyOf(data instanceof Float32Array ? 'float32' : 'float64', data.length);
  let stack = free.get(key);
  if (stack === undefined) free.set(key, (stack = []));
  if (stack.includes(data)) return false; // already given back
  stack.push(data);
  pooledBytes += data.byteLength;
  stats.releasedBytes += data.byteLength;
  return true;
}
