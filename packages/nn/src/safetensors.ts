import { describe, formatShape, rangeError, Tensor, typeError } from '@attograd/tensor';

/**
 * The safetensors format (Hugging Face's, shared by PyTorch, JAX and others), read and written on
 * bytes — no file system here; a Node script does `writeFileSync(path, encodeSafetensors(...))`.
 *
 *   bytes 0–7     N, the header's length: an unsigned 64-bit little-endian integer
 *   bytes 8…8+N   the header: UTF-8 JSON, { name: { dtype, shape, data_offsets: [begin, end] }, … }
 *                 plus an optional "__metadata__": { string: string }; it may end in spaces
 *   the rest      the data: each tensor's values, row-major, little-endian, at [begin, end)
 *                 counted from the start of the data; together they cover it without gap or overlap
 *
 * Written here: F64, F32 and I32 (the header padded with spaces so the data start at a multiple
 * of 8). Read: F64, F32 and I32 as they are; F16 and BF16 widened to float32; I64 narrowed to
 * int32 (an error names the first value out of range).
 */

/** What `decodeSafetensors` returns: the tensors by name, in file order, and the metadata. */
export interface Safetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

const WRITTEN = { float64: 'F64', float32: 'F32', int32: 'I32' } as const;
const ELEMENT_BYTES: Record<string, number> = { F64: 8, F32: 4, I32: 4, F16: 2, BF16: 2, I64: 8 };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The largest header accepted (the reference implementation's limit): 100 MB. */
const MAX_HEADER = 100_000_000;

/**
 * Encodes tensors (for instance `model.stateDict()`) in the safetensors format.
 *
 * @param tensors name → tensor; written in this order.
 * @param metadata optional string → string pairs stored as `__metadata__`.
 * @throws TypeError for a value that is not a Tensor or metadata that is not strings; RangeError
 * for the reserved name `__metadata__` or an empty name.
 * @example
 * writeFileSync('model.safetensors', encodeSafetensors(model.stateDict(), { format: 'pt' }));
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const fn = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object' || tensors instanceof Tensor)
    throw typeError(fn, `tensors must be an object of name → Tensor, got ${describe(tensors)}`);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw typeError(fn, `metadata values must be strings; ${key} is ${describe(value)}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw typeError(fn, `${name} must be a Tensor, got ${describe(t)}`);
    if (name === '' || name === '__metadata__') throw rangeError(fn, `a tensor cannot be named ${JSON.stringify(name)}`);
    const bytes = t.size * t.data.BYTES_PER_ELEMENT;
    header[name] = { dtype: WRITTEN[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const [, t] of entries) {
    writeValues(view, at, t);
    at += t.size * t.data.BYTES_PER_ELEMENT;
  }
  return out;
}

function writeValues(view: DataView, at: number, t: Tensor): void {
  if (LITTLE_ENDIAN) {
    new Uint8Array(view.buffer, at, t.data.byteLength).set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return;
  }
  for (let i = 0; i < t.size; i++) {
    if (t.dtype === 'float64') view.setFloat64(at + 8 * i, t.data[i], true);
    else if (t.dtype === 'float32') view.setFloat32(at + 4 * i, t.data[i], true);
    else view.setInt32(at + 4 * i, t.data[i], true);
  }
}

interface HeaderEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes a safetensors file's bytes. Every tensor gets its own buffer (nothing shares `bytes`).
 *
 * @throws RangeError naming the problem for a malformed file: too short, a header length beyond
 * the file, a header that is not a JSON object, an unknown dtype, a shape whose size does not
 * match its byte range, or byte ranges that leave gaps, overlap or run past the end.
 * @example
 * const { tensors } = decodeSafetensors(readFileSync('model.safetensors'));
 * model.loadStateDict(tensors);
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer): Safetensors {
  const fn = 'decodeSafetensors';
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) throw typeError(fn, `bytes must be a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);
  if (data.length < 8) throw rangeError(fn, `a safetensors file has at least 8 bytes (the header length), got ${data.length}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_HEADER || 8 + headerLength > data.length) {
    throw rangeError(fn, `the header length ${headerLength} does not fit in a file of ${data.length} bytes`);
  }
  const { entries, metadata } = parseHeader(fn, data.subarray(8, 8 + headerLength));
  const start = 8 + headerLength;
  checkCoverage(fn, entries, data.length - start);
  const tensors: Record<string, Tensor> = {};
  for (const entry of entries) tensors[entry.name] = readTensor(fn, view, start, entry);
  return { tensors, metadata };
}

function parseHeader(fn: string, bytes: Uint8Array): { entries: HeaderEntry[]; metadata: Record<string, string> } {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw rangeError(fn, `the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw rangeError(fn, 'the header must be a JSON object');
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw rangeError(fn, '__metadata__ must be an object of strings');
      for (const [key, text] of Object.entries(value)) {
        if (typeof text !== 'string') throw rangeError(fn, `__metadata__.${key} must be a string, got ${describe(text)}`);
        metadata[key] = text;
      }
      continue;
    }
    entries.push(checkEntry(fn, name, value));
  }
  return { entries, metadata };
}

function checkEntry(fn: string, name: string, value: unknown): HeaderEntry {
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (entry === null || typeof entry !== 'object') throw rangeError(fn, `${name}: the header entry must be an object`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !(dtype in ELEMENT_BYTES)) {
    throw rangeError(fn, `${name}: dtype ${describe(dtype)} is not supported (F64, F32, I32, F16, BF16, I64 are)`);
  }
  const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw rangeError(fn, `${name}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[1] < offsets[0]) {
    throw rangeError(fn, `${name}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`);
  }
  const size = shape.reduce((a: number, b: number) => a * b, 1);
  if (size * ELEMENT_BYTES[dtype] !== offsets[1] - offsets[0]) {
    throw rangeError(
      fn,
      `${name}: shape ${formatShape(shape)} of ${dtype} needs ${size * ELEMENT_BYTES[dtype]} bytes, but data_offsets [${offsets.join(', ')}] hold ${offsets[1] - offsets[0]}`,
    );
  }
  return { name, dtype, shape, begin: offsets[0], end: offsets[1] };
}

/** The byte ranges, sorted, must tile [0, dataLength) exactly. */
function checkCoverage(fn: string, entries: readonly HeaderEntry[], dataLength: number): void {
  let expected = 0;
  for (const entry of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (entry.begin !== expected) {
      throw rangeError(
        fn,
        `${entry.name}: data starts at byte ${entry.begin} but the previous tensor ended at ${expected} (a gap or an overlap)`,
      );
    }
    expected = entry.end;
  }
  if (expected !== dataLength)
    throw rangeError(fn, `the tensors cover ${expected} bytes of data, but the file holds ${dataLength} after the header`);
}

function readTensor(fn: string, view: DataView, start: number, { name, dtype, shape, begin, end }: HeaderEntry): Tensor {
  const count = (end - begin) / ELEMENT_BYTES[dtype];
  const at = start + begin;
  if (dtype === 'F64' || dtype === 'F32' || dtype === 'I32') {
    const values = dtype === 'F64' ? new Float64Array(count) : dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
    if (LITTLE_ENDIAN) {
      new Uint8Array(values.buffer).set(new Uint8Array(view.buffer, view.byteOffset + at, end - begin));
    } else {
      for (let i = 0; i < count; i++) {
        values[i] =
          dtype === 'F64'
            ? view.getFloat64(at + 8 * i, true)
            : dtype === 'F32'
              ? view.getFloat32(at + 4 * i, true)
              : view.getInt32(at + 4 * i, true);
      }
    }
    return new Tensor(values, shape);
  }
  if (dtype === 'I64') {
    const values = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const value = view.getBigInt64(at + 8 * i, true);
      if (value > 2147483647n || value < -2147483648n)
        throw rangeError(fn, `${name}: I64 value ${value} at index ${i} does not fit in int32`);
      values[i] = Number(value);
    }
    return new Tensor(values, shape);
  }
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const bits = view.getUint16(at + 2 * i, true);
    values[i] = dtype === 'BF16' ? bfloat16(bits) : float16(bits);
  }
  return new Tensor(values, shape);
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the top half of a float32. */
function bfloat16(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

/** IEEE half precision: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. */
function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
