import { type FunctionSpec, assembleModule, f64, i32, op, overRows, v128 } from './wasm-assembler';
import { prebuiltOr, RETAINED_BYTES, wasmKernel } from './wasm-runtime';
import { LAYER_NORM_MODULE } from './wasm-modules.generated';

/**
 * Float64 layer-norm forward in WebAssembly SIMD, two lanes at a time, for rows of even length d:
 * per row μ = mean(x), var = mean((x − μ)²), rstd = 1/√(var + ε), N = (x − μ)·rstd, Y = γ ⊙ N + β —
 * the same three passes as the TypeScript kernel. Memory holds, from 0: ε (16 bytes), γ, β, X, Y,
 * N (each padded to 16 bytes) and rstd.
 */

// Parameters: pointers to γ, β, X, Y, N, rstd; rows; d (even). ε is the float64 at address 0.
const [GAMMA, BETA, X, Y, N, RSTD, ROWS, D] = [0, 1, 2, 3, 4, 5, 6, 7];
// i32 locals, f64 locals, v128 locals.
const [ROW_BYTES, END, AT, COLUMN] = [8, 9, 10, 11];
const [MU, R] = [12, 13];
const [ACC, CENTERED, MU_V, R_V] = [14, 15, 16, 17];

/** Loops AT over the row X[AT], 16 bytes at a time, with COLUMN = the byte offset in the row. */
function overRow(body: number[]): number[] {
  return [
    ...op.get(X),
    ...op.set(AT),
    ...op.const(0),
    ...op.set(COLUMN),
    ...op.loop,
    ...body,
    ...op.get(COLUMN),
    ...op.const(16),
    ...op.add,
    ...op.set(COLUMN),
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

/** (lane 0 + lane 1 of ACC) / d, as the TypeScript kernel's total / d. */
function meanOfAcc(): number[] {
  return [
    ...op.get(ACC),
    ...op.f64x2ExtractLane(0),
    ...op.get(ACC),
    ...op.f64x2ExtractLane(1),
    ...op.f64Add,
    ...op.get(D),
    ...op.f64ConvertI32,
    ...op.f64Div,
  ];
}

/** Address in the current row of `base` (Y or N, which advance with X) of the element at AT in X. */
function sameColumn(base: number): number[] {
  return [...op.get(base), ...op.get(AT), ...op.add, ...op.get(X), ...op.sub];
}

function layerNormFunction(): FunctionSpec {
  const row = [
    ...op.get(X),
    ...op.get(ROW_BYTES),
    ...op.add,
    ...op.set(END),
    // μ
    ...op.f64x2Const(0),
    ...op.set(ACC),
    ...overRow([...op.get(ACC), ...op.get(AT), ...op.v128Load(0), ...op.f64x2Add, ...op.set(ACC)]),
    ...meanOfAcc(),
    ...op.tee(MU),
    ...op.f64x2Splat,
    ...op.set(MU_V),
    // rstd = 1/√(mean((x − μ)²) + ε)
    ...op.f64x2Const(0),
    ...op.set(ACC),
    ...overRow([
      ...op.get(AT),
      ...op.v128Load(0),
      ...op.get(MU_V),
      ...op.f64x2Sub,
      ...op.set(CENTERED),
      ...op.get(ACC),
      ...op.get(CENTERED),
      ...op.get(CENTERED),
      ...op.f64x2Mul,
      ...op.f64x2Add,
      ...op.set(ACC),
    ]),
    // (+ var − var: NaN when var is +∞, as the TypeScript kernel's reciprocalStd)
    ...meanOfAcc(),
    ...op.set(R),
    ...op.f64Const(1),
    ...op.get(R),
    ...op.const(0),
    ...op.f64Load(0),
    ...op.f64Add,
    ...op.f64Sqrt,
    ...op.f64Div,
    ...op.get(R),
    ...op.get(R),
    ...op.f64Sub,
    ...op.f64Add,
    ...op.tee(R),
    ...op.f64x2Splat,
    ...op.set(R_V),
    ...op.get(RSTD),
    ...op.get(R),
    ...op.f64Store(0),
    ...op.get(RSTD),
    ...op.const(8),
    ...op.add,
    ...op.set(RSTD),
    // N = (x − μ)·rstd;  Y = γ ⊙ N + β
    ...overRow([
      ...sameColumn(N),
      ...op.get(AT),
      ...op.v128Load(0),
      ...op.get(MU_V),
      ...op.f64x2Sub,
      ...op.get(R_V),
      ...op.f64x2Mul,
      ...op.tee(CENTERED),
      ...op.v128Store(0),
      ...sameColumn(Y),
      ...op.get(GAMMA),
      ...op.get(COLUMN),
      ...op.add,
      ...op.v128Load(0),
      ...op.get(CENTERED),
      ...op.f64x2Mul,
      ...op.get(BETA),
      ...op.get(COLUMN),
      ...op.add,
      ...op.v128Load(0),
      ...op.f64x2Add,
      ...op.v128Store(0),
    ]),
  ];
  const body = overRows({ count: ROWS, length: D, log2Size: 3, rowBytes: ROW_BYTES, advancing: [X, Y, N], row });
  return {
    exportName: 'layerNorm64',
    parameters: 8,
    locals: [
      [4, i32],
      [2, f64],
      [4, v128],
    ],
    body,
  };
}

/** The module's bytes, well under the 4 KB browsers compile synchronously. */
export function layerNormModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([layerNormFunction()]);
}

type LayerNorm = (gamma: number, beta: number, x: number, y: number, n: number, rstd: number, rows: number, d: number) => void;
const kernel = wasmKernel<{ layerNorm64: LayerNorm }>(prebuiltOr(LAYER_NORM_MODULE, layerNormModuleBytes), RETAINED_BYTES, { eager: true });

/** Turns the WebAssembly layer norm off (the TypeScript kernel then runs) or back on; for tests. */
export function setWasmLayerNormEnabled(on: boolean): void {
  kernel.setEnabled(on);
}

/** Whether the WebAssembly layer norm can run here. */
export function wasmLayerNormAvailable(): boolean {
  return kernel.available();
}

/**
 * Y, N and rstd of layer norm over rows of even length d, float64. Returns false (having done
 * nothing) when WebAssembly SIMD is unavailable or the values do not fit in its memory.
 */
export function layerNormWasm(
  x: Float64Array,
  gamma: Float64Array,
  beta: Float64Array,
  eps: number,
  d: number,
  y: Float64Array,
  normalized: Float64Array,
  rstd: Float64Array,
): boolean {
  const rows = x.length / d;
  if (!kernel.available() || d % 2 !== 0 || rows === 0) return false;
  const [gammaAt, betaAt, xAt] = [2, 2 + d, 2 + 2 * d];
  const [yAt, nAt, rstdAt] = [xAt + x.length, xAt + 2 * x.length, xAt + 3 * x.length];
  const instance = kernel.instance((rstdAt + rows) * 8);
  if (instance === null) return false;
  const view = instance.f64;
  view[0] = eps;
  view.set(gamma, gammaAt);
  view.set(beta, betaAt);
  view.set(x, xAt);
  instance.exports.layerNorm64(gammaAt * 8, betaAt * 8, xAt * 8, yAt * 8, nAt * 8, rstdAt * 8, rows, d);
  y.set(view.subarray(yAt, yAt + x.length));
  normalized.set(view.subarray(nAt, nAt + x.length));
  rstd.set(view.subarray(rstdAt, rstdAt + rows));
  return true;
}
