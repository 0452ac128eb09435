import type { TensorData } from '@attograd/tensor';
import { type FunctionSpec, assembleModule, i32, op, v128 } from './wasm-assembler';
import { prebuiltOr, RETAINED_BYTES, wasmKernel } from './wasm-runtime';
import { GEMM_MODULE } from './wasm-modules.generated';
import { K_BLOCK, type Operand, panelCount, placedSize, placeOperand } from './gemm-pack';

/**
 * The WebAssembly SIMD matmul: C = Â·B̂ over operands placed in panels (see gemm-pack.ts), one
 * function per lane type. The micro-kernel keeps a ROWS × 2-vector tile of C in registers (ROWS·2
 * v128 accumulators): per k step it loads two vectors of B̂, splats ROWS scalars of Â, and does
 * ROWS·2 multiplies and adds. Loops run over k blocks of `kc` steps, then B̂ panels, then Â panels,
 * so a B̂ block stays in L1 while every Â panel of the block streams past it from L2.
 *
 * Register pressure decides the speed: x64 has 16 vector registers and V8 spills the rest to the
 * stack. A 4 × 2 tile (8 accumulators) with one k step per loop iteration fits; unrolling two k
 * steps let TurboFan hoist both steps' loads and spill (17 → 27 GFLOP/s f64, 34 → 53 f32 when
 * removed, matmul 256), and 5- or 6-row tiles spill too (14-16 GFLOP/s).
 */
export const ROWS = 4;

interface LaneType {
  readonly exportName: string;
  /** Bytes per element. */
  readonly size: number;
  /** Columns of the tile: two vectors of 16 bytes. */
  readonly columns: number;
  readonly splat: (offset: number) => number[];
  readonly add: readonly number[];
  readonly mul: readonly number[];
}

const f64: LaneType = { exportName: 'gemm64', size: 8, columns: 4, splat: op.load64Splat, add: op.f64x2Add, mul: op.f64x2Mul };
const f32: LaneType = { exportName: 'gemm32', size: 4, columns: 8, splat: op.load32Splat, add: op.f32x4Add, mul: op.f32x4Mul };

// Parameters: pointers to Â, B̂ and C; panel counts; k and the k block; then for Â and for B̂
// the byte distance from one k step to the next and from one panel to the next; and for Â the
// byte distance from one row of a panel to the next (B̂'s lanes are contiguous: vector loads).
const [A, B, C, M_PANELS, N_PANELS, K, KC, A_STEP, A_PANEL, B_STEP, B_PANEL, A_LANE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const PARAMETERS = 12;
// i32 locals; A_ROWS[r] holds r·A_LANE.
const [P0, LEN, JP, IP, A_PTR, B_PTR, C_PTR, Q, LDC] = [12, 13, 14, 15, 16, 17, 18, 19, 20];
const A_ROWS = Array.from({ length: ROWS }, (_, row) => 21 + row);
const I32_LOCALS = 9 + ROWS;
// v128 locals: ROWS·2 accumulators, then two B̂ vectors and the splatted Â scalar.
const ACC = 21 + ROWS;
const [B0, B1, SPLAT] = [ACC + ROWS * 2, ACC + ROWS * 2 + 1, ACC + ROWS * 2 + 2];

/**
 * One k step: the tile's multiply-adds, then both pointers move to the next step. With
 * `stridedRows` the rows of an Â panel are A_LANE bytes apart (Â is A as stored); otherwise they
 * are adjacent and addressed by constant offsets.
 */
function kStep(lane: LaneType, stridedRows: boolean): number[] {
  const code = [...op.get(B_PTR), ...op.v128Load(0), ...op.set(B0), ...op.get(B_PTR), ...op.v128Load(16), ...op.set(B1)];
  for (let row = 0; row < ROWS; row++) {
    const splat = stridedRows
      ? [...op.get(A_PTR), ...(row === 0 ? [] : [...op.get(A_ROWS[row]), ...op.add]), ...lane.splat(0)]
      : [...op.get(A_PTR), ...lane.splat(row * lane.size)];
    code.push(...splat, ...op.set(SPLAT));
    for (const [half, bVector] of [
      [0, B0],
      [1, B1],
    ]) {
      const acc = ACC + row * 2 + half;
      code.push(...op.get(acc), ...op.get(SPLAT), ...op.get(bVector), ...lane.mul, ...lane.add, ...op.set(acc));
    }
  }
  code.push(...op.get(A_PTR), ...op.get(A_STEP), ...op.add, ...op.set(A_PTR));
  code.push(...op.get(B_PTR), ...op.get(B_STEP), ...op.add, ...op.set(B_PTR));
  return code;
}

/** The tile loop: accumulate LEN k steps, then write or add the tile into C. */
function tile(lane: LaneType, stridedRows: boolean): number[] {
  const code: number[] = [];
  for (let acc = ACC; acc < ACC + ROWS * 2; acc++) code.push(...op.v128Zero, ...op.set(acc));
  code.push(...op.get(LEN), ...op.set(Q));
  code.push(...op.loop, ...kStep(lane, stridedRows));
  code.push(...op.get(Q), ...op.const(1), ...op.sub, ...op.tee(Q), ...op.brIf(0), ...op.end);
  // C_PTR = C + IP·ROWS·LDC + JP·32 (bytes); then one row of the tile per LDC.
  code.push(...op.get(C), ...op.get(IP), ...op.const(ROWS), ...op.mul, ...op.get(LDC), ...op.mul, ...op.add);
  code.push(...op.get(JP), ...op.const(32), ...op.mul, ...op.add, ...op.set(C_PTR));
  // The first k block writes the tile; later blocks add to it (so C needs no zero-fill).
  code.push(...op.get(P0), ...op.eqz, ...op.if, ...storeTile(lane, false), ...op.else, ...storeTile(lane, true), ...op.end);
  return code;
}

/** Stores (or adds) the ROWS·2 accumulators into C at C_PTR, one row of the tile per LDC bytes. */
function storeTile(lane: LaneType, accumulate: boolean): number[] {
  const code: number[] = [];
  for (let row = 0; row < ROWS; row++) {
    for (const half of [0, 1]) {
      const acc = ACC + row * 2 + half;
      code.push(...op.get(C_PTR));
      if (accumulate) code.push(...op.get(C_PTR), ...op.v128Load(half * 16), ...op.get(acc), ...lane.add);
      else code.push(...op.get(acc));
      code.push(...op.v128Store(half * 16));
    }
    code.push(...op.get(C_PTR), ...op.get(LDC), ...op.add, ...op.set(C_PTR));
  }
  return code;
}

/** `index += 1; loop again while index < limit` (loops are entered at least once). */
function nextWhileBelow(index: number, limit: number): number[] {
  return [...op.get(index), ...op.const(1), ...op.add, ...op.tee(index), ...op.get(limit), ...op.ltS, ...op.brIf(0)];
}

function gemmFunction(lane: LaneType, stridedRows: boolean): FunctionSpec {
  // base + panel·panelBytes + P0·stepBytes
  const start = (base: number, panel: number, panelBytes: number, stepBytes: number) => [
    ...op.get(base),
    ...op.get(panel),
    ...op.get(panelBytes),
    ...op.mul,
    ...op.add,
    ...op.get(P0),
    ...op.get(stepBytes),
    ...op.mul,
    ...op.add,
  ];
  const rowOffsets = A_ROWS.flatMap((local, row) => [...op.get(A_LANE), ...op.const(row), ...op.mul, ...op.set(local)]);
  const body = [
    ...rowOffsets,
    ...op.get(N_PANELS),
    ...op.const(lane.columns * lane.size),
    ...op.mul,
    ...op.set(LDC),
    ...op.const(0),
    ...op.set(P0),
    ...op.loop,
    // LEN = min(KC, K − P0)
    ...op.get(KC),
    ...op.get(K),
    ...op.get(P0),
    ...op.sub,
    ...op.tee(LEN),
    ...op.get(KC),
    ...op.get(LEN),
    ...op.ltS,
    ...op.select,
    ...op.set(LEN),
    ...op.const(0),
    ...op.set(JP),
    ...op.loop,
    ...op.const(0),
    ...op.set(IP),
    ...op.loop,
    ...start(A, IP, A_PANEL, A_STEP),
    ...op.set(A_PTR),
    ...start(B, JP, B_PANEL, B_STEP),
    ...op.set(B_PTR),
    ...tile(lane, stridedRows),
    ...nextWhileBelow(IP, M_PANELS),
    ...op.end,
    ...nextWhileBelow(JP, N_PANELS),
    ...op.end,
    ...op.get(P0),
    ...op.get(KC),
    ...op.add,
    ...op.tee(P0),
    ...op.get(K),
    ...op.ltS,
    ...op.brIf(0),
    ...op.end,
  ];
  return {
    exportName: `${lane.exportName}${stridedRows ? 'Strided' : ''}`,
    parameters: PARAMETERS,
    locals: [
      [I32_LOCALS, i32],
      [ROWS * 2 + 3, v128],
    ],
    body,
  };
}

type Gemm = (
  a: number,
  b: number,
  c: number,
  mPanels: number,
  nPanels: number,
  k: number,
  kc: number,
  aStep: number,
  aPanel: number,
  bStep: number,
  bPanel: number,
  aLane: number,
) => void;

/**
 * The module's bytes: four functions (float64 and float32, packed or strided Â rows), about 3.3 KB.
 * Browsers compile modules under 4 KB synchronously on the main thread; a test keeps it under.
 */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([f64, f32].flatMap((lane) => [gemmFunction(lane, false), gemmFunction(lane, true)]));
}

/** By lane type, then by whether Â's rows are strided: gemm64, gemm64Strided, gemm32, gemm32Strided. */
const kernel = wasmKernel<Record<string, Gemm>>(prebuiltOr(GEMM_MODULE, gemmModuleBytes), RETAINED_BYTES, { eager: true });

/**
 * Turns the WebAssembly kernel off (every product then runs the TypeScript kernel) or back on.
 * For tests of the fallback, and for comparing the two paths.
 */
export function setWasmKernelsEnabled(on: boolean): void {
  kernel.setEnabled(on);
}

/** Whether the WebAssembly SIMD kernel can run here. */
export function wasmGemmAvailable(): boolean {
  return kernel.available();
}

/**
 * c[cOffset…] = op(A)·op(B) (overwritten) for m×k and k×n operands (k ≥ 1), computed in
 * WebAssembly memory and copied out. Returns false (having done nothing) when WebAssembly SIMD is
 * unavailable or the operands do not fit in WebAssembly memory.
 */
export function gemmWasm(left: Operand, right: Operand, c: TensorData, cOffset: number, k: number): boolean {
  if (!kernel.available()) return false;
  const lane = c instanceof Float32Array ? f32 : f64;
  const m = left.outer;
  const n = right.outer;
  const mPanels = panelCount(m, ROWS);
  const nPanels = panelCount(n, lane.columns);
  const ldc = nPanels * lane.columns;
  // Element offsets of Â, B̂ and C in memory, each 16-byte aligned.
  const align = 16 / lane.size;
  const aAt = 0;
  const bAt = aAt + Math.ceil(placedSize(left, k, ROWS, lane.size) / align) * align;
  const cAt = bAt + Math.ceil(placedSize(right, k, lane.columns, lane.size) / align) * align;
  const end = cAt + mPanels * ROWS * ldc;
  const instance = kernel.instance(end * lane.size);
  if (instance === null) return false;
  const view = lane === f32 ? instance.f32 : instance.f64;
  const placedA = placeOperand(left, k, ROWS, false, view, aAt);
  const placedB = placeOperand(right, k, lane.columns, true, view, bAt);
  const gemm = instance.exports[`${lane.exportName}${placedA.laneStride === 1 ? '' : 'Strided'}`];
  const bytes = lane.size;
  gemm(
    aAt * bytes,
    bAt * bytes,
    cAt * bytes,
    mPanels,
    nPanels,
    k,
    Math.min(K_BLOCK, k),
    placedA.step * bytes,
    placedA.panelStride * bytes,
    placedB.step * bytes,
    placedB.panelStride * bytes,
    placedA.laneStride * bytes,
  );
  if (ldc === n) c.set(view.subarray(cAt, cAt + m * n), cOffset);
  else for (let i = 0; i < m; i++) c.set(view.subarray(cAt + i * ldc, cAt + i * ldc + n), cOffset + i * n);
  return true;
}
