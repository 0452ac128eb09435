import { type FunctionSpec, assembleModule, f64, i32, op, overRows, v128 } from './wasm-assembler';
import { prebuiltOr, RETAINED_BYTES, wasmKernel } from './wasm-runtime';
import { SOFTMAX32_MODULE } from './wasm-modules.generated';

/**
 * Float32 softmax, forward and backward, over contiguous rows in WebAssembly SIMD. Rows are copied
 * in padded to a multiple of eight (forward) or four (backward) values (forward pads with −∞, which adds e^−∞ = 0 and never wins
 * the max; backward pads y and dy with 0, which adds 0·0 to the dot product).
 *
 * Forward, four lanes at a time in float32, the denominator summed in float64 (promoted lanes,
 * four accumulator chains), then y = e · fl32(1/Σ):
 * - v = x − max is rounded to float32; its rounding error is recovered exactly (Knuth's TwoSum)
 *   and added back into the reduced argument, so e^v is of the exact difference, as the
 *   TypeScript kernel (which subtracts in float64).
 * - e^v (Cody–Waite, as fdlibm's expf): k = round(v·log₂e) by adding 1.5·2²³ (which also puts k
 *   in the low bits, shifted into the exponent of 2^(k+64)); r = v − k·ln2 in two parts (k·LN2_HIGH
 *   exact for |k| < 2⁹); e^r = 1 + r·q(r) with q of degree 5 interpolating (e^r − 1)/r at Chebyshev
 *   nodes (0.09 ulp of float32 before rounding; expCoefficients). The kernel keeps e^v·2⁶⁴
 *   (2^(k+64) stays a normal float32 down to v = −104): the 2⁶⁴ cancels in e/Σ, and results below
 *   2⁻¹²⁶ round once, in the final product, into float32's subnormals. v < −104 gives exactly 0
 *   (e^−104 < 2⁻¹⁵⁰ would round to 0). Against the TypeScript kernel (float64 Math.exp): within
 *   3 ulp of float32, measured worst 1.8 (float32-kernels.test.ts, test/both-paths.ts).
 * - NaN: the max skips NaN (pmax), a NaN then turns the sum and so its whole row NaN; a row of −∞
 *   and NaN only is NaN, a row of −∞ only zeros — as the TypeScript kernel.
 *
 * Backward, dx = y ⊙ (dy − Σ_j dy_j y_j), in float64 lanes (promoted from float32, rounded once
 * when stored): the products dy_j·y_j of two float32 are exact in float64, and the dot product is
 * summed in four partial sums over j mod 4, combined (s0 + s2) + (s1 + s3) — the order of the
 * TypeScript kernel, so the two agree bit for bit.
 */

const LN2_HIGH = 0.693145751953125; // 9 trailing zero bits: k·LN2_HIGH is exact for |k| < 2⁹
const LN2_LOW = 1.428606765330187e-6; // ln 2 − LN2_HIGH
const MAGIC = 12582912 + 191; // 1.5·2²³ + 127 + 64: v·log₂e + MAGIC rounds to k, bits hold k + 191
const CUTOFF = -104;
const REDUCED = 0.35; // |r| ≤ ln2/2 ≈ 0.3466, and a little more from rounding k·ln2 in float32

/**
 * Coefficients c1…c6 of e^r ≈ 1 + r·(c1 + c2 r + … + c6 r⁵) on |r| ≤ REDUCED: the polynomial
 * interpolating (e^r − 1)/r at six Chebyshev nodes (near-minimax), rounded to float32; relative
 * error of e^r below 0.1 ulp of float32 before the float32 rounding of the evaluation (see
 * softmax32.test.ts).
 */
export function expCoefficients(): number[] {
  const n = 6;
  const nodes = Array.from({ length: n }, (_, j) => REDUCED * Math.cos(((2 * j + 1) * Math.PI) / (2 * n)));
  // Vandermonde system V c = g(nodes), solved by Gaussian elimination with partial pivoting.
  const rows = nodes.map((t) => [...Array.from({ length: n }, (_, k) => t ** k), Math.expm1(t) / t]);
  for (let col = 0; col < n; col++) {
    const pivot = rows.slice(col).reduce((best, row, i) => (Math.abs(row[col]) > Math.abs(rows[best][col]) ? col + i : best), col);
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    for (let r = col + 1; r < n; r++) {
      const factor = rows[r][col] / rows[col][col];
      for (let k = col; k <= n; k++) rows[r][k] -= factor * rows[col][k];
    }
  }
  const c = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let value = rows[r][n];
    for (let k = r + 1; k < n; k++) value -= rows[r][k] * c[k];
    c[r] = value / rows[r][r];
  }
  return c.map(Math.fround);
}

// Forward parameters: pointer to the rows, row count, row length (a multiple of 8).
const [ROWS, COUNT, LENGTH] = [0, 1, 2];
const [ROW, END, AT, ROW_BYTES] = [3, 4, 5, 6]; // i32
const MAX = 7; // f64
const [X, S, ERR, N, T, SCALE, ACC, ACC_HIGH, NEG_MAX] = [8, 9, 10, 11, 12, 13, 14, 15, 16]; // v128
const FIRST_CONSTANT = 17;

/** Constants live in v128 locals set once (V8 rebuilds a v128.const at every use). */
const CONSTANTS: number[] = [];

function constant(value: number): number[] {
  let index = CONSTANTS.findIndex((c) => Object.is(c, Math.fround(value)));
  if (index < 0) index = CONSTANTS.push(Math.fround(value)) - 1;
  return op.get(FIRST_CONSTANT + index);
}

/** Loops AT over the row (ROW … END), `step` bytes (16: four lanes) at a time. */
function overRow(body: number[], step = 16): number[] {
  return [
    ...op.get(ROW),
    ...op.set(AT),
    ...op.loop,
    ...body,
    ...op.get(AT),
    ...op.const(step),
    ...op.add,
    ...op.tee(AT),
    ...op.get(END),
    ...op.ltU,
    ...op.brIf(0),
    ...op.end,
  ];
}

/** The four float32 lanes of `local`, promoted to float64 and combined by `combine` (f64.max or f64.add), onto the stack. */
function acrossLanes(local: number, combine: readonly number[]): number[] {
  const lane = (i: number) => [...op.get(local), ...op.f32x4ExtractLane(i), ...op.f64PromoteF32];
  return [...lane(0), ...lane(1), ...combine, ...lane(2), ...combine, ...lane(3), ...combine];
}

/** x·a + b on float32 lanes: `x`, `a`, `b` are code pushing one v128 each. */
function mulAdd(x: number[], a: number[], b: number[]): number[] {
  return [...x, ...a, ...op.f32x4Mul, ...b, ...op.f32x4Add];
}

/** e^(x − max) of the four lanes at AT into X; NEG_MAX holds −max in every lane. */
function expOfLanes(): number[] {
  const c = expCoefficients();
  const horner: number[] = [...op.get(T), ...constant(c[5]), ...op.f32x4Mul, ...constant(c[4]), ...op.f32x4Add];
  for (let k = 3; k >= 0; k--) horner.push(...op.get(T), ...op.f32x4Mul, ...constant(c[k]), ...op.f32x4Add);
  return [
    // S = fl(x − max); ERR = the exact rounding error (TwoSum: x + (−max) = S + ERR)
    ...op.get(AT),
    ...op.v128Load(0),
    ...op.tee(X),
    ...op.get(NEG_MAX),
    ...op.f32x4Add,
    ...op.tee(S),
    ...op.get(X),
    ...op.f32x4Sub,
    ...op.set(T),
    ...op.get(X),
    ...op.get(S),
    ...op.get(T),
    ...op.f32x4Sub,
    ...op.f32x4Sub,
    ...op.get(NEG_MAX),
    ...op.get(T),
    ...op.f32x4Sub,
    ...op.f32x4Add,
    ...op.set(ERR),
    // N = S·log₂e + MAGIC (rounds to k); SCALE = 2^(k+64) from its low bits; N = k
    ...mulAdd(op.get(S), constant(Math.LOG2E), constant(MAGIC)),
    ...op.tee(N),
    ...op.const(23),
    ...op.i32x4Shl,
    ...op.set(SCALE),
    ...op.get(N),
    ...constant(MAGIC),
    ...op.f32x4Sub,
    ...op.set(N),
    // T = S − k·LN2_HIGH − k·LN2_LOW + ERR
    ...op.get(S),
    ...op.get(N),
    ...constant(LN2_HIGH),
    ...op.f32x4Mul,
    ...op.f32x4Sub,
    ...op.get(N),
    ...constant(LN2_LOW),
    ...op.f32x4Mul,
    ...op.f32x4Sub,
    ...op.get(ERR),
    ...op.f32x4Add,
    ...op.tee(T),
    // X = SCALE + (T·SCALE)·q(T) = e^T·2^(k+64), and exactly 0 where S < CUTOFF (−∞ included); NaN stays NaN
    ...op.get(SCALE),
    ...op.f32x4Mul,
    ...horner,
    ...op.f32x4Mul,
    ...op.get(SCALE),
    ...op.f32x4Add,
    ...op.get(S),
    ...constant(CUTOFF),
    ...op.f32x4Lt,
    ...op.v128AndNot,
    ...op.set(X),
  ];
}

const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/** low += float64 lanes 0, 1 and high += lanes 2, 3 of the four float32 at AT + offset. */
function sumInto(low: number, high: number, offset: number): number[] {
  return [
    ...op.get(AT),
    ...op.v128Load(offset),
    ...op.set(X),
    ...op.get(low),
    ...op.get(X),
    ...op.f64x2PromoteLowF32x4,
    ...op.f64x2Add,
    ...op.set(low),
    ...op.get(high),
    ...op.get(X),
    ...op.get(X),
    ...op.i8x16Shuffle(HIGH_HALF),
    ...op.f64x2PromoteLowF32x4,
    ...op.f64x2Add,
    ...op.set(high),
  ];
}

function softmaxRow(): number[] {
  const maximum = [
    // two accumulators, eight lanes a step: one pmax chain was latency-bound
    ...constant(-Infinity),
    ...op.tee(ACC),
    ...op.set(S),
    ...overRow(
      [
        ...op.get(ACC),
        ...op.get(AT),
        ...op.v128Load(0),
        ...op.f32x4Pmax,
        ...op.set(ACC),
        ...op.get(S),
        ...op.get(AT),
        ...op.v128Load(16),
        ...op.f32x4Pmax,
        ...op.set(S),
      ],
      32,
    ),
    ...op.get(ACC),
    ...op.get(S),
    ...op.f32x4Pmax,
    ...op.set(ACC),
    ...acrossLanes(ACC, op.f64Max),
    ...op.set(MAX),
  ];
  // Only −∞ and NaN: zeros, or NaN everywhere when the row holds a NaN (its float32 sum tells).
  const maskedOrNaN = [
    ...op.f32x4Const(0),
    ...op.set(ACC),
    ...overRow([...op.get(ACC), ...op.get(AT), ...op.v128Load(0), ...op.f32x4Add, ...op.set(ACC)]),
    ...acrossLanes(ACC, op.f64Add),
    ...op.set(MAX),
    ...op.f64Const(Number.NaN),
    ...op.f64Const(0),
    ...op.get(MAX),
    ...op.get(MAX),
    ...op.f64Ne,
    ...op.select,
    ...op.f32DemoteF64,
    ...op.f32x4Splat,
    ...op.set(X),
    ...overRow([...op.get(AT), ...op.get(X), ...op.v128Store(0)]),
  ];
  const exponentials = [
    ...op.f64x2Const(0),
    ...op.tee(ACC),
    ...op.set(ACC_HIGH),
    ...op.get(MAX),
    ...op.f64Const(-1),
    ...op.f64Mul,
    ...op.f32DemoteF64,
    ...op.f32x4Splat,
    ...op.set(NEG_MAX),
    ...overRow([...expOfLanes(), ...op.get(AT), ...op.get(X), ...op.v128Store(0)]),
    // Σ in a pass of its own (in the exponentials' loop the accumulators were spilled: ~10 % slower),
    // in float64: lanes 0, 1 and 2, 3 of the first four values into ACC and ACC_HIGH, of the next
    // four into ERR and N (four chains: one was latency-bound)
    ...op.f64x2Const(0),
    ...op.tee(ERR),
    ...op.set(N),
    ...overRow([...sumInto(ACC, ACC_HIGH, 0), ...sumInto(ERR, N, 16)], 32),
    ...op.get(ACC),
    ...op.get(ERR),
    ...op.f64x2Add,
    ...op.set(ACC),
    ...op.get(ACC_HIGH),
    ...op.get(N),
    ...op.f64x2Add,
    ...op.set(ACC_HIGH),
    // X = fl32(1 / Σ) in every lane (Σ of e·2⁶⁴: X is about 2⁻⁶⁴/Σ); y = e·X
    ...op.f64Const(1),
    ...op.get(ACC),
    ...op.get(ACC_HIGH),
    ...op.f64x2Add,
    ...op.tee(ACC),
    ...op.f64x2ExtractLane(0),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(1),
    ...op.f64Add,
    ...op.f64Div,
    ...op.f32DemoteF64,
    ...op.f32x4Splat,
    ...op.set(X),
    ...overRow([...op.get(AT), ...op.get(AT), ...op.v128Load(0), ...op.get(X), ...op.f32x4Mul, ...op.v128Store(0)]),
  ];
  return [
    ...op.get(ROW),
    ...op.get(ROW_BYTES),
    ...op.add,
    ...op.set(END),
    ...maximum,
    ...op.get(MAX),
    ...op.f64Const(-Infinity),
    ...op.f64Eq,
    ...op.if,
    ...maskedOrNaN,
    ...op.else,
    ...exponentials,
    ...op.end,
  ];
}

function forwardFunction(): FunctionSpec {
  const rows = softmaxRow(); // registers the constants it uses
  const body = [
    ...CONSTANTS.flatMap((value, i) => [...op.f32x4Const(value), ...op.set(FIRST_CONSTANT + i)]),
    ...overRows({
      count: COUNT,
      length: LENGTH,
      log2Size: 2,
      rowBytes: ROW_BYTES,
      setup: [...op.get(ROWS), ...op.set(ROW)],
      advancing: [ROW],
      row: rows,
    }),
  ];
  return {
    exportName: 'softmax32',
    parameters: 3,
    locals: [
      [4, i32],
      [1, f64],
      [FIRST_CONSTANT - X + CONSTANTS.length, v128],
    ],
    body,
  };
}

// Backward parameters: pointers to y and dy (dx is written over dy), row count, row length (a multiple of 4).
const [B_Y, B_DY, B_COUNT, B_LENGTH] = [0, 1, 2, 3];
const [B_ROW_BYTES, B_END, B_AT, B_DELTA] = [4, 5, 6, 7]; // i32: B_DELTA = dy − y
const [B_EVEN, B_ODD, B_DOT] = [8, 9, 10]; // v128

/** Two float32 at AT + offset (+ DELTA for dy), promoted to float64 lanes. */
function pairOf(offset: number, ofDy: boolean): number[] {
  return [...op.get(B_AT), ...(ofDy ? [...op.get(B_DELTA), ...op.add] : []), ...op.v128Load64Zero(offset), ...op.f64x2PromoteLowF32x4];
}

function overBackwardRow(body: number[]): number[] {
  return [
    ...op.get(B_Y),
    ...op.set(B_AT),
    ...op.loop,
    ...body,
    ...op.get(B_AT),
    ...op.const(16),
    ...op.add,
    ...op.tee(B_AT),
    ...op.get(B_END),
    ...op.ltU,
    ...op.brIf(0),
    ...op.end,
  ];
}

function backwardFunction(): FunctionSpec {
  // dot: B_EVEN holds the partial sums of j ≡ 0, 1 (mod 4), B_ODD those of j ≡ 2, 3
  const accumulate = (acc: number, offset: number) => [
    ...op.get(acc),
    ...pairOf(offset, false),
    ...pairOf(offset, true),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.set(acc),
  ];
  const write = (offset: number) => [
    ...op.get(B_AT),
    ...op.get(B_DELTA),
    ...op.add,
    ...pairOf(offset, false),
    ...pairOf(offset, true),
    ...op.get(B_DOT),
    ...op.f64x2Sub,
    ...op.f64x2Mul,
    ...op.f32x4DemoteF64x2Zero,
    ...op.v128Store64Lane(offset, 0),
  ];
  const row = [
    ...op.get(B_Y),
    ...op.get(B_ROW_BYTES),
    ...op.add,
    ...op.set(B_END),
    ...op.f64x2Const(0),
    ...op.tee(B_EVEN),
    ...op.set(B_ODD),
    ...overBackwardRow([...accumulate(B_EVEN, 0), ...accumulate(B_ODD, 8)]),
    ...op.get(B_EVEN),
    ...op.get(B_ODD),
    ...op.f64x2Add,
    ...op.tee(B_DOT),
    ...op.f64x2ExtractLane(0),
    ...op.get(B_DOT),
    ...op.f64x2ExtractLane(1),
    ...op.f64Add,
    ...op.f64x2Splat,
    ...op.set(B_DOT),
    ...overBackwardRow([...write(0), ...write(8)]),
  ];
  const body = [
    ...op.get(B_DY),
    ...op.get(B_Y),
    ...op.sub,
    ...op.set(B_DELTA),
    ...overRows({ count: B_COUNT, length: B_LENGTH, log2Size: 2, rowBytes: B_ROW_BYTES, advancing: [B_Y], row }),
  ];
  return {
    exportName: 'softmaxBackward32',
    parameters: 4,
    locals: [
      [4, i32],
      [3, v128],
    ],
    body,
  };
}

/** The module's bytes, about 1.4 KB. */
export function softmax32ModuleBytes(): Uint8Array<ArrayBuffer> {
  CONSTANTS.length = 0; // the constants pool is filled while the function is generated
  return assembleModule([forwardFunction(), backwardFunction()]);
}

interface Exports {
  softmax32: (rows: number, count: number, length: number) => void;
  softmaxBackward32: (y: number, dy: number, count: number, length: number) => void;
}
const kernel = wasmKernel<Exports>(prebuiltOr(SOFTMAX32_MODULE, softmax32ModuleBytes), RETAINED_BYTES, { eager: true });

/** Turns the float32 WebAssembly softmax off (the TypeScript kernels then run) or back on; for tests. */
export function setWasmSoftmax32Enabled(on: boolean): void {
  kernel.setEnabled(on);
}

/** Whether the float32 WebAssembly softmax can run here. */
export function wasmSoftmax32Available(): boolean {
  return kernel.available();
}

/** Copies `rows` rows of `length` from `source` into `view` at `at` with rows of `padded`, filling the pad with `fill`. */
function copyIn(view: Float32Array, at: number, source: Float32Array, rows: number, length: number, padded: number, fill: number): void {
  if (padded === length) {
    view.set(source, at);
    return;
  }
  for (let row = 0; row < rows; row++) {
    const start = at + row * padded;
    view.set(source.subarray(row * length, row * length + length), start);
    view.fill(fill, start + length, start + padded);
  }
}

function copyOut(view: Float32Array, at: number, target: Float32Array, rows: number, length: number, padded: number): void {
  if (padded === length) target.set(view.subarray(at, at + rows * length));
  else for (let row = 0; row < rows; row++) target.set(view.subarray(at + row * padded, at + row * padded + length), row * length);
}

/**
 * y = softmax(x) over `rows` contiguous float32 rows of `length`. Returns false (having done
 * nothing) when WebAssembly SIMD is unavailable or the rows do not fit in its memory.
 */
export function softmax32Wasm(x: Float32Array, y: Float32Array, rows: number, length: number): boolean {
  if (!kernel.available()) return false;
  if (rows === 0 || length === 0) return true;
  const padded = (length + 7) & ~7;
  const instance = kernel.instance(rows * padded * 4);
  if (instance === null) return false;
  copyIn(instance.f32, 0, x, rows, length, padded, -Infinity);
  instance.exports.softmax32(0, rows, padded);
  copyOut(instance.f32, 0, y, rows, length, padded);
  return true;
}

/** dx = y ⊙ (dy − Σ_j dy_j y_j) over contiguous float32 rows; false (nothing done) as softmax32Wasm. */
export function softmaxBackward32Wasm(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, length: number): boolean {
  if (!kernel.available()) return false;
  if (rows === 0 || length === 0) return true;
  const padded = (length + 3) & ~3;
  const size = rows * padded;
  const instance = kernel.instance(size * 8);
  if (instance === null) return false;
  copyIn(instance.f32, 0, y, rows, length, padded, 0);
  copyIn(instance.f32, size, dy, rows, length, padded, 0);
  instance.exports.softmaxBackward32(0, size * 4, rows, padded);
  copyOut(instance.f32, size, dx, rows, length, padded);
  return true;
}
