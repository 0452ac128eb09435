import type { TensorData } from '@attograd/tensor';
import { K_BLOCK, type Operand, packPanels, panelCount } from './gemm-pack';
import { RETAINED_BYTES } from './wasm-runtime';

/**
 * The TypeScript matmul, used where WebAssembly SIMD is unavailable and for small products where
 * copying into WebAssembly memory would cost more than it saves. Same packing as the WebAssembly
 * kernel; the micro-kernel keeps a 4 × 4 tile of C in sixteen local variables, which the JIT holds
 * in registers, so each k step does 16 multiply-adds for 8 loads.
 */
const TILE = 4;

let scratch = new Float64Array(0);

/** Packing space, kept between calls up to RETAINED_BYTES; a larger product gets its own. */
function scratchOf(size: number): Float64Array {
  if (size * 8 > RETAINED_BYTES) return new Float64Array(size);
  if (scratch.length < size) scratch = new Float64Array(Math.min(Math.max(size, scratch.length * 2), RETAINED_BYTES / 8));
  return scratch;
}

/**
 * c[cOffset…] = Â·B̂ (overwritten) for m×k and k×n operands. Each element of C is summed in the
 * WebAssembly kernel's order (along k, in blocks of K_BLOCK steps, each block's sum added to C)
 * and, for float32, rounded to float32 after every multiply and add as its f32x4 lanes are: the
 * two paths give the same bits, so where order matters (a partial sum that overflows one way and
 * not the other) the batch size cannot change the answer.
 */
export function gemmTs(left: Operand, right: Operand, c: TensorData, cOffset: number, k: number): void {
  const m = left.outer;
  const n = right.outer;
  const mPanels = panelCount(m, TILE);
  const nPanels = panelCount(n, TILE);
  const bAt = mPanels * TILE * k;
  const packed = scratchOf(bAt + nPanels * TILE * k);
  packPanels(left, k, k, TILE, packed, 0);
  packPanels(right, k, k, TILE, packed, bAt);
  const tile = c instanceof Float32Array ? tile32 : tile64;
  for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
    const steps = Math.min(K_BLOCK, k - p0);
    for (let jp = 0; jp < nPanels; jp++) {
      for (let ip = 0; ip < mPanels; ip++) {
        const sums = tile(packed, (ip * k + p0) * TILE, bAt + (jp * k + p0) * TILE, steps);
        store(sums, c, cOffset, ip * TILE, jp * TILE, m, n, p0 > 0);
      }
    }
  }
}

/** One 4 × 4 tile of sums over `steps` k steps, in float64. */
function tile64(packed: Float64Array, aAt: number, bAt: number, steps: number): number[] {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0, a = aAt, b = bAt; p < steps; p++, a += TILE, b += TILE) {
    const b0 = packed[b],
      b1 = packed[b + 1],
      b2 = packed[b + 2],
      b3 = packed[b + 3];
    const a0 = packed[a],
      a1 = packed[a + 1],
      a2 = packed[a + 2],
      a3 = packed[a + 3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  return [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
}

/**
 * The same in float32 arithmetic: the product of two float32 values is exact in float64, so
 * fround gives the float32 product, and fround of the float64 sum of two float32 values is their
 * float32 sum (float64 has more than twice float32's precision: rounding twice is harmless).
 */
function tile32(packed: Float64Array, aAt: number, bAt: number, steps: number): number[] {
  const f = Math.fround;
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0, a = aAt, b = bAt; p < steps; p++, a += TILE, b += TILE) {
    const b0 = packed[b],
      b1 = packed[b + 1],
      b2 = packed[b + 2],
      b3 = packed[b + 3];
    const a0 = packed[a],
      a1 = packed[a + 1],
      a2 = packed[a + 2],
      a3 = packed[a + 3];
    c00 = f(c00 + f(a0 * b0));
    c01 = f(c01 + f(a0 * b1));
    c02 = f(c02 + f(a0 * b2));
    c03 = f(c03 + f(a0 * b3));
    c10 = f(c10 + f(a1 * b0));
    c11 = f(c11 + f(a1 * b1));
    c12 = f(c12 + f(a1 * b2));
    c13 = f(c13 + f(a1 * b3));
    c20 = f(c20 + f(a2 * b0));
    c21 = f(c21 + f(a2 * b1));
    c22 = f(c22 + f(a2 * b2));
    c23 = f(c23 + f(a2 * b3));
    c30 = f(c30 + f(a3 * b0));
    c31 = f(c31 + f(a3 * b1));
    c32 = f(c32 + f(a3 * b2));
    c33 = f(c33 + f(a3 * b3));
  }
  return [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
}

/** Writes (or adds, for a later k block) a tile at (row, column) of C, clipped to the m × n edge. */
function store(
  sums: number[],
  c: TensorData,
  cOffset: number,
  row: number,
  column: number,
  m: number,
  n: number,
  accumulate: boolean,
): void {
  const rows = Math.min(TILE, m - row);
  const columns = Math.min(TILE, n - column);
  for (let r = 0; r < rows; r++) {
    const at = cOffset + (row + r) * n + column;
    if (accumulate) for (let j = 0; j < columns; j++) c[at + j] += sums[r * TILE + j];
    else for (let j = 0; j < columns; j++) c[at + j] = sums[r * TILE + j];
  }
}
