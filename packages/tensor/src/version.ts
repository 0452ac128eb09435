import type { TensorData } from './dtype';

/**
 * Version counters: how many times a tensor's values have been changed in place by a tensor
 * method (`copy_`, `fill_`, …). The count belongs to the typed array, not to one tensor object,
 * so every tensor that wraps the same array (a `detach()`ed copy, a `reshape` view) sees the same
 * version, as in PyTorch. (Keyed by the typed array rather than its ArrayBuffer: reading `.buffer`
 * of a small typed array makes V8 move it off the heap, which made recording 3× slower.) The map lives on `globalThis` under a `Symbol.for` key, so the ESM and the CommonJS
 * builds of attograd (which may both be loaded in one process) count the same updates.
 */
const VERSIONS_KEY = Symbol.for('attograd.versions');
const store = globalThis as unknown as Record<symbol, WeakMap<TensorData, number> | undefined>;
const versions: WeakMap<TensorData, number> = (store[VERSIONS_KEY] ??= new WeakMap());

/**
 * The number of in-place updates made so far to `data` through tensor methods.
 *
 * @example
 * versionOf(x.data) // 0 for a fresh tensor
 */
export function versionOf(data: TensorData): number {
  return versions.get(data) ?? 0;
}

/** Records one more in-place update of `data`. */
export function bumpVersion(data: TensorData): void {
  versions.set(data, (versions.get(data) ?? 0) + 1);
}

/**
 * A cheap fingerprint of the values (FNV-1a over the bytes, read as 32-bit words), taken when
 * `detectAnomaly` is on and an op saves its inputs, and compared when its gradient rule runs: it
 * catches raw writes to `.data`, which bump no version.
 *
 * @example
 * checksum(x.data) === checksum(x.data.slice()) // true: equal values, equal fingerprints
 */
export function checksum(data: TensorData): number {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.byteLength >>> 2);
  let hash = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i], 0x01000193);
  return hash >>> 0;
}

/** Forgets the updates of a buffer that the pool hands out again: a reused buffer starts at version 0. */
export function resetVersion(data: TensorData): void {
  versions.delete(data);
}
