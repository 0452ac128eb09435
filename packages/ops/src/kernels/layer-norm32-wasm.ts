import { type FunctionSpec, assembleModule, f64, i32, op, overRows, v128 } from './wasm-assembler';
import { prebuiltOr, RETAINED_BYTES, wasmKernel } from './wasm-runtime';
import { LAYER_NORM32_MODULE } from './wasm-modules.generated';

/**
 * Float32 layer norm, forward and backward, in WebAssembly SIMD for rows of even length d. The
 * values are float32 in memory and float64 in the arithmetic: each pair of float32 is promoted to
 * two float64 lanes (exactly), every sum and product is the TypeScript kernel's float64 operation
 * in the same order (sums in two interleaved partial sums, even and odd i; dγ and dβ summed over
 * rows in float64), and each result is rounded to float32 once when stored. So the two paths agree
 * bit for bit.
 *
 * Memory, from 0: ε (a float64, 16 bytes), then float32 arrays each padded to 16 bytes.
 * Forward: γ, β, X, Y, N, rstd. Backward: γ, dY, N, rstd, dX, then the float64 totals dγ, dβ.
 */

const PAIR = 8; // bytes of two float32

/** Two float32 at `address` (code pushing an i32), promoted to two float64 lanes. */
function pairAt(address: number[], offset = 0): number[] {
  return [...address, ...op.v128Load64Zero(offset), ...op.f64x2PromoteLowF32x4];
}

/** Stores the two float64 lanes on the stack, rounded to float32, at `address` (pushed before them). */
const storePair = [...op.f32x4DemoteF64x2Zero, ...op.v128Store64Lane(0, 0)];

/** (lane 0 + lane 1 of `acc`) / d, as the TypeScript kernel's (even + odd) / d. */
function meanOf(acc: number, d: number): number[] {
  return [
    ...op.get(acc),
    ...op.f64x2ExtractLane(0),
    ...op.get(acc),
    ...op.f64x2ExtractLane(1),
    ...op.f64Add,
    ...op.get(d),
    ...op.f64ConvertI32,
    ...op.f64Div,
  ];
}

/** Loops `at` from `start` to `end`, PAIR bytes at a time, with `column` = the byte offset in the row. */
function overRow(at: number, start: number, end: number, column: number, body: number[]): number[] {
  return [
    ...op.get(start),
    ...op.set(at),
    ...op.const(0),
    ...op.set(column),
    ...op.loop,
    ...body,
    ...op.get(column),
    ...op.const(PAIR),
    ...op.add,
    ...op.set(column),
    ...op.get(at),
    ...op.const(PAIR),
    ...op.add,
    ...op.tee(at),
    ...op.get(end),
    ...op.ltU,
    ...op.brIf(0),
    ...op.end,
  ];
}

// Forward parameters: pointers to γ, β, X, Y, N, rstd; rows; d (even). ε is the float64 at address 0.
const [F_GAMMA, F_BETA, F_X, F_Y, F_N, F_RSTD, F_ROWS, F_D] = [0, 1, 2, 3, 4, 5, 6, 7];
const [F_ROW_BYTES, F_END, F_AT, F_COLUMN] = [8, 9, 10, 11]; // i32
const [F_MU, F_R] = [12, 13]; // f64
const [F_ACC, F_CENTERED, F_MU_V, F_R_V] = [14, 15, 16, 17]; // v128

function forwardFunction(): FunctionSpec {
  const over = (body: number[]) => overRow(F_AT, F_X, F_END, F_COLUMN, body);
  const x = pairAt(op.get(F_AT));
  const sameColumn = (base: number) => [...op.get(base), ...op.get(F_AT), ...op.add, ...op.get(F_X), ...op.sub];
  const row = [
    ...op.get(F_X),
    ...op.get(F_ROW_BYTES),
    ...op.add,
    ...op.set(F_END),
    // μ
    ...op.f64x2Const(0),
    ...op.set(F_ACC),
    ...over([...op.get(F_ACC), ...x, ...op.f64x2Add, ...op.set(F_ACC)]),
    ...meanOf(F_ACC, F_D),
    ...op.tee(F_MU),
    ...op.f64x2Splat,
    ...op.set(F_MU_V),
    // rstd = 1/√(mean((x − μ)²) + ε) + (var − var): NaN when var is +∞, as reciprocalStd
    ...op.f64x2Const(0),
    ...op.set(F_ACC),
    ...over([
      ...x,
      ...op.get(F_MU_V),
      ...op.f64x2Sub,
      ...op.tee(F_CENTERED),
      ...op.get(F_CENTERED),
      ...op.f64x2Mul,
      ...op.get(F_ACC),
      ...op.f64x2Add,
      ...op.set(F_ACC),
    ]),
    ...meanOf(F_ACC, F_D),
    ...op.set(F_R),
    ...op.f64Const(1),
    ...op.get(F_R),
    ...op.const(0),
    ...op.f64Load(0),
    ...op.f64Add,
    ...op.f64Sqrt,
    ...op.f64Div,
    ...op.get(F_R),
    ...op.get(F_R),
    ...op.f64Sub,
    ...op.f64Add,
    ...op.tee(F_R),
    ...op.f64x2Splat,
    ...op.set(F_R_V),
    ...op.get(F_RSTD),
    ...op.get(F_R),
    ...op.f32DemoteF64,
    ...op.f32Store(0),
    ...op.get(F_RSTD),
    ...op.const(4),
    ...op.add,
    ...op.set(F_RSTD),
    // N = (x − μ)·rstd;  Y = γ ⊙ N + β (with N before rounding, as the TypeScript kernel)
    ...over([
      ...sameColumn(F_N),
      ...x,
      ...op.get(F_MU_V),
      ...op.f64x2Sub,
      ...op.get(F_R_V),
      ...op.f64x2Mul,
      ...op.tee(F_CENTERED),
      ...storePair,
      ...sameColumn(F_Y),
      ...pairAt([...op.get(F_GAMMA), ...op.get(F_COLUMN), ...op.add]),
      ...op.get(F_CENTERED),
      ...op.f64x2Mul,
      ...pairAt([...op.get(F_BETA), ...op.get(F_COLUMN), ...op.add]),
      ...op.f64x2Add,
      ...storePair,
    ]),
  ];
  return {
    exportName: 'layerNorm32',
    parameters: 8,
    locals: [
      [4, i32],
      [2, f64],
      [4, v128],
    ],
    body: overRows({ count: F_ROWS, length: F_D, log2Size: 2, rowBytes: F_ROW_BYTES, advancing: [F_X, F_Y, F_N], row }),
  };
}

// Backward parameters: pointers to γ, dY, N, rstd, dX, dγ and dβ (float64 totals, zeroed); rows; d (even).
const [B_GAMMA, B_DY, B_N, B_RSTD, B_DX, B_DGAMMA, B_DBETA, B_ROWS, B_D] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [B_ROW_BYTES, B_END, B_AT, B_COLUMN] = [9, 10, 11, 12]; // i32
const [B_TOTAL, B_DOT, B_DY_V, B_N_V, B_DN, B_MEAN, B_DOT_MEAN, B_R] = [13, 14, 15, 16, 17, 18, 19, 20]; // v128

function backwardFunction(): FunctionSpec {
  const over = (body: number[]) => overRow(B_AT, B_DY, B_END, B_COLUMN, body);
  const sameColumn = (base: number) => [...op.get(base), ...op.get(B_AT), ...op.add, ...op.get(B_DY), ...op.sub];
  const gamma = pairAt([...op.get(B_GAMMA), ...op.get(B_COLUMN), ...op.add]);
  // Address of the float64 total of this column pair in dγ or dβ.
  const total = (base: number) => [...op.get(base), ...op.get(B_COLUMN), ...op.const(1), ...op.shl, ...op.add];
  const accumulate = (base: number, term: number[]) => [
    ...total(base),
    ...total(base),
    ...op.v128Load(0),
    ...term,
    ...op.f64x2Add,
    ...op.v128Store(0),
  ];
  const row = [
    ...op.get(B_DY),
    ...op.get(B_ROW_BYTES),
    ...op.add,
    ...op.set(B_END),
    ...op.f64x2Const(0),
    ...op.tee(B_TOTAL),
    ...op.set(B_DOT),
    // Pass 1: Σ dN, Σ dN ⊙ N (even and odd lanes), dγ += dY ⊙ N, dβ += dY
    ...over([
      ...pairAt(op.get(B_AT)),
      ...op.set(B_DY_V),
      ...pairAt(sameColumn(B_N)),
      ...op.set(B_N_V),
      ...op.get(B_DY_V),
      ...gamma,
      ...op.f64x2Mul,
      ...op.tee(B_DN),
      ...op.get(B_TOTAL),
      ...op.f64x2Add,
      ...op.set(B_TOTAL),
      ...op.get(B_DN),
      ...op.get(B_N_V),
      ...op.f64x2Mul,
      ...op.get(B_DOT),
      ...op.f64x2Add,
      ...op.set(B_DOT),
      ...accumulate(B_DGAMMA, [...op.get(B_DY_V), ...op.get(B_N_V), ...op.f64x2Mul]),
      ...accumulate(B_DBETA, op.get(B_DY_V)),
    ]),
    ...meanOf(B_TOTAL, B_D),
    ...op.f64x2Splat,
    ...op.set(B_MEAN),
    ...meanOf(B_DOT, B_D),
    ...op.f64x2Splat,
    ...op.set(B_DOT_MEAN),
    ...op.get(B_RSTD),
    ...op.f32Load(0),
    ...op.f64PromoteF32,
    ...op.f64x2Splat,
    ...op.set(B_R),
    ...op.get(B_RSTD),
    ...op.const(4),
    ...op.add,
    ...op.set(B_RSTD),
    // Pass 2: dX = rstd ⊙ (dY ⊙ γ − mean(dN) − N ⊙ mean(dN ⊙ N))
    ...over([
      ...sameColumn(B_DX),
      ...op.get(B_R),
      ...pairAt(op.get(B_AT)),
      ...gamma,
      ...op.f64x2Mul,
      ...op.get(B_MEAN),
      ...op.f64x2Sub,
      ...pairAt(sameColumn(B_N)),
      ...op.get(B_DOT_MEAN),
      ...op.f64x2Mul,
      ...op.f64x2Sub,
      ...op.f64x2Mul,
      ...storePair,
    ]),
  ];
  return {
    exportName: 'layerNormBackward32',
    parameters: 9,
    locals: [
      [4, i32],
      [8, v128],
    ],
    body: overRows({ count: B_ROWS, length: B_D, log2Size: 2, rowBytes: B_ROW_BYTES, advancing: [B_DY, B_N, B_DX], row }),
  };
}

/** The module's bytes, under 1 KB. */
export function layerNorm32ModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([forwardFunction(), backwardFunction()]);
}

interface Exports {
  layerNorm32: (gamma: number, beta: number, x: number, y: number, n: number, rstd: number, rows: number, d: number) => void;
  layerNormBackward32: (
    gamma: number,
    dY: number,
    n: number,
    rstd: number,
    dX: number,
    dGamma: number,
    dBeta: number,
    rows: number,
    d: number,
  ) => void;
}
const kernel = wasmKernel<Exports>(prebuiltOr(LAYER_NORM32_MODULE, layerNorm32ModuleBytes), RETAINED_BYTES, { eager: true });

/** Turns the float32 WebAssembly layer norm off (the TypeScript kernels then run) or back on; for tests. */
export function setWasmLayerNorm32Enabled(on: boolean): void {
  kernel.setEnabled(on);
}

/** Whether the float32 WebAssembly layer norm can run here. */
export function wasmLayerNorm32Available(): boolean {
  return kernel.available();
}

/** Float32 offsets (from 16 bytes, after ε) of consecutive arrays of the given lengths, each padded to 4 values. */
function offsets(lengths: readonly number[]): number[] {
  const at: number[] = [];
  let next = 4;
  for (const length of lengths) {
    at.push(next);
    next += (length + 3) & ~3;
  }
  at.push(next);
  return at;
}

/**
 * Y, N and rstd of layer norm over float32 rows of even length d. Returns false (having done
 * nothing) when WebAssembly SIMD is unavailable, d is odd, or the values do not fit in its memory.
 */
export function layerNorm32Wasm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
  d: number,
  y: Float32Array,
  normalized: Float32Array,
  rstd: Float32Array,
): boolean {
  const rows = x.length / d;
  if (!kernel.available() || d % 2 !== 0 || rows === 0) return false;
  const [gammaAt, betaAt, xAt, yAt, nAt, rstdAt, end] = offsets([d, d, x.length, x.length, x.length, rows]);
  const instance = kernel.instance(end * 4);
  if (instance === null) return false;
  const view = instance.f32;
  instance.f64[0] = eps;
  view.set(gamma, gammaAt);
  view.set(beta, betaAt);
  view.set(x, xAt);
  instance.exports.layerNorm32(gammaAt * 4, betaAt * 4, xAt * 4, yAt * 4, nAt * 4, rstdAt * 4, rows, d);
  y.set(view.subarray(yAt, yAt + x.length));
  normalized.set(view.subarray(nAt, nAt + x.length));
  rstd.set(view.subarray(rstdAt, rstdAt + rows));
  return true;
}

/**
 * dX, dγ and dβ of layer norm over float32 rows of even length d (any of them null when not
 * needed); false (nothing done) as layerNorm32Wasm.
 */
export function layerNormBackward32Wasm(
  dY: Float32Array,
  normalized: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array,
  d: number,
  dX: Float32Array | null,
  dGamma: Float32Array | null,
  dBeta: Float32Array | null,
): boolean {
  const rows = dY.length / d;
  if (!kernel.available() || d % 2 !== 0 || rows === 0) return false;
  // dγ and dβ are float64 (2 float32 slots per value).
  const [gammaAt, dYAt, nAt, rstdAt, dXAt, dGammaAt, dBetaAt, end] = offsets([d, dY.length, dY.length, rows, dY.length, 2 * d, 2 * d]);
  const instance = kernel.instance(end * 4);
  if (instance === null) return false;
  const view = instance.f32;
  view.set(gamma, gammaAt);
  view.set(dY, dYAt);
  view.set(normalized, nAt);
  view.set(rstd, rstdAt);
  view.fill(0, dGammaAt, end);
  instance.exports.layerNormBackward32(gammaAt * 4, dYAt * 4, nAt * 4, rstdAt * 4, dXAt * 4, dGammaAt * 4, dBetaAt * 4, rows, d);
  if (dX !== null) dX.set(view.subarray(dXAt, dXAt + dY.length));
  const totals = instance.f64;
  if (dGamma !== null) dGamma.set(totals.subarray(dGammaAt / 2, dGammaAt / 2 + d));
  if (dBeta !== null) dBeta.set(totals.subarray(dBetaAt / 2, dBetaAt / 2 + d));
  return true;
}
