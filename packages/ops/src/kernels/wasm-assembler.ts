/**
 * A very small WebAssembly assembler: just the instructions attograd's kernels use, written as
 * bytes from TypeScript so no external toolchain is needed and the module works in any engine
 * (Node or a browser). Opcodes follow the WebAssembly core spec and its fixed-width SIMD proposal.
 */

/** Value types. */
export const i32 = 0x7f;
export const f64 = 0x7c;
export const v128 = 0x7b;

/** Unsigned LEB128, the encoding of every count, index and size in a module. */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128, the encoding of i32.const immediates. */
export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** A length-prefixed vector of already-encoded items. */
function vector(items: readonly number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return vector([...text].map((char) => [char.charCodeAt(0)]));
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/** One function of a module: its i32 parameters, its extra locals and its body. */
export interface FunctionSpec {
  readonly exportName: string;
  readonly parameters: number;
  /** Extra locals, as [count, type] runs; they are numbered after the parameters. */
  readonly locals: readonly (readonly [number, number])[];
  readonly body: readonly number[];
}

/**
 * A module that imports its memory as env.memory and exports each function. Every function takes
 * i32 parameters (pointers and sizes) and returns nothing.
 */
export function assembleModule(functions: readonly FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(Array.from({ length: f.parameters }, () => [i32])), 0]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x01];
  const bodies = functions.map((f) => {
    const code = [...vector(f.locals.map(([count, type]) => [...unsignedLeb(count), type])), ...f.body, 0x0b];
    return [...unsignedLeb(code.length), ...code];
  });
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.exportName), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}

/** Instruction encoders. Each returns the bytes of one instruction. */
export const op = {
  get: (local: number) => [0x20, ...unsignedLeb(local)],
  set: (local: number) => [0x21, ...unsignedLeb(local)],
  tee: (local: number) => [0x22, ...unsignedLeb(local)],
  const: (value: number) => [0x41, ...signedLeb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  ltS: [0x48],
  ltU: [0x49],
  geS: [0x4e],
  eqz: [0x45],
  select: [0x1b],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...unsignedLeb(depth)],
  brIf: (depth: number) => [0x0d, ...unsignedLeb(depth)],
  /** memarg: log2 of the alignment, then the constant offset added to the address. */
  v128Load: (offset: number) => [0xfd, 0x00, 0x04, ...unsignedLeb(offset)],
  v128Store: (offset: number) => [0xfd, 0x0b, 0x04, ...unsignedLeb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  load32Splat: (offset: number) => [0xfd, 0x09, 0x02, ...unsignedLeb(offset)],
  load64Splat: (offset: number) => [0xfd, 0x0a, 0x03, ...unsignedLeb(offset)],
  f32x4Add: [0xfd, ...unsignedLeb(0xe4)],
  f32x4Mul: [0xfd, ...unsignedLeb(0xe6)],
  f64x2Add: [0xfd, ...unsignedLeb(0xf0)],
  f64x2Sub: [0xfd, ...unsignedLeb(0xf1)],
  f64x2Mul: [0xfd, ...unsignedLeb(0xf2)],
  f64x2Div: [0xfd, ...unsignedLeb(0xf3)],
  f64x2Max: [0xfd, ...unsignedLeb(0xf5)],
  /** Pseudo-max `a < b ? b : a` (keeps a NaN in a, drops one in b): one instruction, where max needs eight for NaN and −0. */
  f64x2Pmax: [0xfd, ...unsignedLeb(0xf7)],
  f64x2Lt: [0xfd, ...unsignedLeb(0x49)],
  f64x2Nearest: [0xfd, ...unsignedLeb(0x94)],
  f64x2Splat: [0xfd, ...unsignedLeb(0x14)],
  f64x2ExtractLane: (lane: number) => [0xfd, ...unsignedLeb(0x21), lane],
  i64x2Add: [0xfd, ...unsignedLeb(0xce)],
  i64x2Shl: [0xfd, ...unsignedLeb(0xcb)],
  v128AndNot: [0xfd, ...unsignedLeb(0x4f)],
  // float32 lanes and the conversions between float32 and float64 lanes (float32 kernels)
  /** Loads 8 bytes (two float32) into the low half of a v128, zeroing the high half. */
  v128Load64Zero: (offset: number) => [0xfd, ...unsignedLeb(0x5d), 0x03, ...unsignedLeb(offset)],
  /** Stores lane `lane` (8 bytes) of a v128. */
  v128Store64Lane: (offset: number, lane: number) => [0xfd, ...unsignedLeb(0x5b), 0x03, ...unsignedLeb(offset), lane],
  /** The bytes of two v128 values picked by 16 lane indices (0–15 from the first, 16–31 from the second). */
  i8x16Shuffle: (lanes: readonly number[]) => [0xfd, 0x0d, ...lanes],
  f32x4Sub: [0xfd, ...unsignedLeb(0xe5)],
  /** Pseudo-max `a < b ? b : a`, as f64x2Pmax. */
  f32x4Pmax: [0xfd, ...unsignedLeb(0xeb)],
  f32x4Lt: [0xfd, ...unsignedLeb(0x43)],
  f32x4Splat: [0xfd, ...unsignedLeb(0x13)],
  f32x4ExtractLane: (lane: number) => [0xfd, ...unsignedLeb(0x1f), lane],
  i32x4Shl: [0xfd, ...unsignedLeb(0xab)],
  /** float64 lanes from float32 lanes 0 and 1 (exact). */
  f64x2PromoteLowF32x4: [0xfd, ...unsignedLeb(0x5f)],
  /** float32 lanes 0 and 1 from the float64 lanes (rounded to nearest), lanes 2 and 3 zero. */
  f32x4DemoteF64x2Zero: [0xfd, ...unsignedLeb(0x5e)],
  /** A v128 constant holding four float32 lanes. */
  f32x4Const: (value: number) => [0xfd, 0x0c, ...bytesOf(new Float32Array([value, value, value, value]))],
  f32Load: (offset: number) => [0x2a, 0x02, ...unsignedLeb(offset)],
  f32Store: (offset: number) => [0x38, 0x02, ...unsignedLeb(offset)],
  f32DemoteF64: [0xb6],
  f64PromoteF32: [0xbb],
  /** A v128 constant holding two float64 lanes (or, with `bits`, two int64 lanes). */
  f64x2Const: (value: number) => [0xfd, 0x0c, ...bytesOf(new Float64Array([value, value]))],
  i64x2Const: (value: bigint) => [0xfd, 0x0c, ...bytesOf(new BigInt64Array([value, value]))],
  f64Const: (value: number) => [0x44, ...bytesOf(new Float64Array([value]))],
  f64Load: (offset: number) => [0x2b, 0x03, ...unsignedLeb(offset)],
  f64Store: (offset: number) => [0x39, 0x03, ...unsignedLeb(offset)],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  f64Sqrt: [0x9f],
  f64ConvertI32: [0xb7],
  f64Max: [0xa5],
  f64Eq: [0x61],
  f64Ne: [0x62],
} as const;

/** Little-endian bytes of a typed array (WebAssembly constants are little-endian). */
function bytesOf(values: Float64Array | Float32Array | BigInt64Array): number[] {
  const bytes = Array.from(new Uint8Array(values.buffer));
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (littleEndian) return bytes;
  // Reverse each lane's bytes on a big-endian host.
  const width = values.BYTES_PER_ELEMENT;
  return bytes.map((_, i) => bytes[i - (i % width) + width - 1 - (i % width)]);
}

/**
 * A loop over rows, as every row-wise kernel runs it: `rowBytes` = `length` << `log2Size` (the bytes
 * of a row), then `setup`, then per row `row`, every pointer local in `advancing` moved on by a row,
 * and `count` decremented; again while it is not 0 (`count` ≥ 1 on entry).
 */
export function overRows({
  count,
  length,
  log2Size,
  rowBytes,
  advancing = [],
  setup = [],
  row,
}: {
  count: number;
  length: number;
  log2Size: number;
  rowBytes: number;
  advancing?: readonly number[];
  setup?: readonly number[];
  row: readonly number[];
}): number[] {
  return [
    ...op.get(length),
    ...op.const(log2Size),
    ...op.shl,
    ...op.set(rowBytes),
    ...setup,
    ...op.loop,
    ...row,
    ...advancing.flatMap((base) => [...op.get(base), ...op.get(rowBytes), ...op.add, ...op.set(base)]),
    ...op.get(count),
    ...op.const(1),
    ...op.sub,
    ...op.tee(count),
    ...op.brIf(0),
    ...op.end,
  ];
}

/** Whether this engine runs fixed-width SIMD (a one-function module that uses a v128 is valid). */
export function simdSupported(): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  const probe = assembleModule([{ exportName: 'probe', parameters: 0, locals: [[1, v128]], body: [...op.v128Zero, ...op.set(0)] }]);
  try {
    return WebAssembly.validate(probe);
  } catch {
    return false;
  }
}
