import { type FunctionSpec, assembleModule, f64, i32, op, overRows, v128 } from './wasm-assembler';
import { prebuiltOr, RETAINED_BYTES, wasmKernel } from './wasm-runtime';
import { SOFTMAX_MODULE } from './wasm-modules.generated';

/**
 * Float64 softmax over contiguous rows in WebAssembly SIMD, two lanes at a time, with its own
 * e^v (no call into Math.exp per element). Rows are copied in with an even length (a −∞ pad lane
 * adds e^−∞ = 0 and never wins the max), softmaxed in place, and copied out.
 *
 * e^v for v = x − max ≤ 0 (Cody–Waite reduction, as fdlibm): v = k·ln2 + r with
 * k = round(v / ln2), |r| ≤ ln2/2; e^r by its Taylor series to degree 13 (truncation < 5e-18
 * relative), and 2^k built in the exponent bits: k + 1.5·2⁵² puts k in the low bits of a float64,
 * adding 1023 and shifting left by 52 makes the bits of 2^k. v < −708 (including −∞, masked
 * logits) gives exactly 0: the true value is below 3.3e-308. NaN stays NaN.
 */

const LN2_HIGH = 6.9314718036912381649e-1; // 21 trailing zero bits: k·LN2_HIGH is exact
const LN2_LOW = 1.90821492927058770002e-10;
const SHIFTER = 6755399441055744; // 1.5·2⁵²
const SMALLEST = -708;
const TAYLOR = Array.from({ length: 14 }, (_, n) => 1 / factorial(n));

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

// Parameters: pointer to the rows, row count, row length (even).
const [ROWS, COUNT, LENGTH] = [0, 1, 2];
// i32 locals, f64 locals, v128 locals.
const [ROW, END, AT, ROW_BYTES] = [3, 4, 5, 6];
const [MAX, TOTAL] = [7, 8];
const [V, ACC, R, SCALE, R2, R4, R8] = [9, 10, 11, 12, 13, 14, 15];

/**
 * Constants live in v128 locals set once at the function's start: V8 rebuilds a v128.const at
 * every use, which inside the loop cost more than the arithmetic.
 */
const CONSTANTS: { value: number | bigint; local: number }[] = [];

function constant(value: number | bigint): number[] {
  let entry = CONSTANTS.find((c) => c.value === value && typeof c.value === typeof value);
  if (entry === undefined) {
    entry = { value, local: R8 + 1 + CONSTANTS.length };
    CONSTANTS.push(entry);
  }
  return op.get(entry.local);
}

function initializeConstants(): number[] {
  return CONSTANTS.flatMap(({ value, local }) => [
    ...(typeof value === 'bigint' ? op.i64x2Const(value) : op.f64x2Const(value)),
    ...op.set(local),
  ]);
}

/** Loops AT over the row, 16 bytes (two lanes) at a time, running `body` for each. */
function overRow(body: number[]): number[] {
  return [
    ...op.get(ROW),
    ...op.set(AT),
    ...op.loop,
    ...body,
    // Addresses compare unsigned: memory may pass 2 GB.
    ...op.get(AT),
    ...op.const(16),
    ...op.add,
    ...op.tee(AT),
    ...op.get(END),
    ...op.ltU,
    ...op.brIf(0),
    ...op.end,
  ];
}

/**
 * Σ_{n<count} TAYLOR[first + n]·r^n onto the stack, count ∈ {2, 4, 6, 8}, pairing terms by powers
 * r, r², r⁴ (R, R2, R4 must hold them).
 */
function estrin(first: number, count: number): number[] {
  if (count === 2) return [...constant(TAYLOR[first + 1]), ...op.get(R), ...op.f64x2Mul, ...constant(TAYLOR[first]), ...op.f64x2Add];
  const half = count === 6 ? 4 : count / 2;
  const power = half === 2 ? R2 : R4;
  return [...estrin(first, half), ...estrin(first + half, count - half), ...op.get(power), ...op.f64x2Mul, ...op.f64x2Add];
}

/** e^V into V (the value of V is replaced). */
function expOfV(): number[] {
  const code = [
    // k = round(max(v, SMALLEST) / ln2); r = v − k·ln2 (two parts)
    ...op.get(V),
    ...constant(SMALLEST),
    ...op.f64x2Pmax,
    ...op.tee(R),
    ...constant(Math.LOG2E),
    ...op.f64x2Mul,
    ...op.f64x2Nearest,
    ...op.set(SCALE),
    ...op.get(R),
    ...op.get(SCALE),
    ...constant(LN2_HIGH),
    ...op.f64x2Mul,
    ...op.f64x2Sub,
    ...op.get(SCALE),
    ...constant(LN2_LOW),
    ...op.f64x2Mul,
    ...op.f64x2Sub,
    ...op.set(R),
    ...op.get(R),
    ...op.get(R),
    ...op.f64x2Mul,
    ...op.tee(R2),
    ...op.get(R2),
    ...op.f64x2Mul,
    ...op.tee(R4),
    ...op.get(R4),
    ...op.f64x2Mul,
    ...op.set(R8),
    // poly = Σ r^n / n! by Estrin's scheme (depth 4 instead of Horner's 13: the loop is latency-bound)
    ...estrin(0, 8),
    ...estrin(8, 6),
    ...op.get(R8),
    ...op.f64x2Mul,
    ...op.f64x2Add,
  ];
  code.push(
    // SCALE = 2^k from its bits: ((k + 1.5·2⁵²) as bits + 1023) << 52
    ...op.get(SCALE),
    ...constant(SHIFTER),
    ...op.f64x2Add,
    ...constant(1023n),
    ...op.i64x2Add,
    ...op.const(52),
    ...op.i64x2Shl,
    ...op.set(SCALE),
    // e^v = poly·2^k (poly is on the stack), and exactly 0 where v < SMALLEST
    ...op.get(SCALE),
    ...op.f64x2Mul,
    ...op.get(V),
    ...constant(SMALLEST),
    ...op.f64x2Lt,
    ...op.v128AndNot,
    ...op.set(V),
  );
  return code;
}

/**
 * The row's max into MAX, skipping NaN as the TypeScript kernel does (pmax keeps the running max
 * when compared with NaN: one instruction where a NaN-propagating max needs eight); a NaN still
 * turns its whole row NaN, through the sum or maskedOrNaNRow.
 */
function rowMax(): number[] {
  return [
    ...constant(-Infinity),
    ...op.set(ACC),
    ...overRow([...op.get(ACC), ...op.get(AT), ...op.v128Load(0), ...op.f64x2Pmax, ...op.set(ACC)]),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(0),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(1),
    ...op.f64Max,
    ...op.set(MAX),
  ];
}

/**
 * A row whose max (skipping NaN) is −∞ holds only −∞ and NaN: zeros when it is −∞ everywhere (a
 * fully masked row), NaN everywhere when it holds a NaN. Its sum tells which (−∞ or NaN).
 */
function maskedOrNaNRow(): number[] {
  return [
    ...constant(0),
    ...op.set(ACC),
    ...overRow([...op.get(ACC), ...op.get(AT), ...op.v128Load(0), ...op.f64x2Add, ...op.set(ACC)]),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(0),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(1),
    ...op.f64Add,
    ...op.set(MAX),
    ...op.f64Const(Number.NaN),
    ...op.f64Const(0),
    ...op.get(MAX),
    ...op.get(MAX),
    ...op.f64Ne,
    ...op.select,
    ...op.f64x2Splat,
    ...op.set(V),
    ...overRow([...op.get(AT), ...op.get(V), ...op.v128Store(0)]),
  ];
}

/**
 * y = e^(x − max) / Σ e^(x − max) in place; a row that is −∞ everywhere becomes zeros, a row
 * holding a NaN becomes NaN (through the sum, or through maskedOrNaNRow when the rest is −∞).
 */
function softmaxRow(): number[] {
  const exponentials = overRow([
    ...op.get(AT),
    ...op.v128Load(0),
    ...op.get(MAX),
    ...op.f64x2Splat,
    ...op.f64x2Sub,
    ...op.set(V),
    ...expOfV(),
    ...op.get(AT),
    ...op.get(V),
    ...op.v128Store(0),
  ]);
  // Summed in a pass of its own: inside the exp loop the running sum was spilled to the stack,
  // and its store-to-load round trip every iteration set the pace.
  const total = overRow([...op.get(ACC), ...op.get(AT), ...op.v128Load(0), ...op.f64x2Add, ...op.set(ACC)]);
  const normalize = overRow([
    ...op.get(AT),
    ...op.get(AT),
    ...op.v128Load(0),
    ...op.get(TOTAL),
    ...op.f64x2Splat,
    ...op.f64x2Mul,
    ...op.v128Store(0),
  ]);
  return [
    ...op.get(ROW),
    ...op.get(ROW_BYTES),
    ...op.add,
    ...op.set(END),
    ...rowMax(),
    ...op.get(MAX),
    ...op.f64Const(-Infinity),
    ...op.f64Eq,
    ...op.if,
    ...maskedOrNaNRow(),
    ...op.else,
    ...constant(0),
    ...op.set(ACC),
    ...exponentials,
    ...total,
    // TOTAL = 1 / Σ: one division per row, then multiplications (within an ulp of dividing each)
    ...op.f64Const(1),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(0),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(1),
    ...op.f64Add,
    ...op.f64Div,
    ...op.set(TOTAL),
    ...normalize,
    ...op.end,
  ];
}

function softmaxFunction(): FunctionSpec {
  const rows = softmaxRow(); // registers the constants it uses
  const body = [
    ...initializeConstants(),
    ...overRows({
      count: COUNT,
      length: LENGTH,
      log2Size: 3,
      rowBytes: ROW_BYTES,
      setup: [...op.get(ROWS), ...op.set(ROW)],
      advancing: [ROW],
      row: rows,
    }),
  ];
  return {
    exportName: 'softmax64',
    parameters: 3,
    locals: [
      [4, i32],
      [2, f64],
      [7 + CONSTANTS.length, v128],
    ],
    body,
  };
}

/** The module's bytes, about 1 KB (browsers compile modules under 4 KB synchronously). */
export function softmaxModuleBytes(): Uint8Array<ArrayBuffer> {
  CONSTANTS.length = 0; // the constants pool is filled while the function is generated
  return assembleModule([softmaxFunction()]);
}

const kernel = wasmKernel<{ softmax64: (rows: number, count: number, length: number) => void }>(
  prebuiltOr(SOFTMAX_MODULE, softmaxModuleBytes),
  RETAINED_BYTES,
  { eager: true },
);

/** Turns the WebAssembly softmax off (the TypeScript kernel then runs) or back on; for tests. */
export function setWasmSoftmaxEnabled(on: boolean): void {
  kernel.setEnabled(on);
}

/** Whether the WebAssembly softmax can run here. */
export function wasmSoftmaxAvailable(): boolean {
  return kernel.available();
}

/**
 * y = softmax(x) over `rows` contiguous rows of `length` float64 values. Returns false (having
 * done nothing) when WebAssembly SIMD is unavailable or the rows do not fit in its memory.
 */
export function softmaxWasm(x: Float64Array, y: Float64Array, rows: number, length: number): boolean {
  if (!kernel.available()) return false;
  if (rows === 0 || length === 0) return true;
  const padded = length + (length & 1);
  const instance = kernel.instance(rows * padded * 8);
  if (instance === null) return false;
  const view = instance.f64;
  if (padded === length) view.set(x);
  else {
    for (let row = 0; row < rows; row++) {
      view.set(x.subarray(row * length, row * length + length), row * padded);
      view[row * padded + length] = -Infinity;
    }
  }
  instance.exports.softmax64(0, rows, padded);
  if (padded === length) y.set(view.subarray(0, rows * length));
  else for (let row = 0; row < rows; row++) y.set(view.subarray(row * padded, row * padded + length), row * length);
  return true;
}
