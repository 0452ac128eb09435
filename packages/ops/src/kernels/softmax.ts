import type { TensorData } from '@attograd/tensor';
import { softmaxWasm } from './softmax-wasm';
import { softmax32Wasm, softmaxBackward32Wasm } from './softmax32-wasm';

/**
 * Fused softmax kernels over rows along one axis. A tensor of `size` elements whose axis has
 * `length` entries and stride `stride` (the product of the later axes) has size / length rows;
 * row r starts at ⌊r / stride⌋·stride·length + r mod stride. With stride 1 (the last axis, the
 * attention case) each row is contiguous and the loops run straight along it.
 */
export interface RowLayout {
  readonly size: number;
  readonly length: number;
  readonly stride: number;
}

function rowStart(row: number, { stride, length }: RowLayout): number {
  return stride === 1 ? row * length : Math.floor(row / stride) * stride * length + (row % stride);
}

function rowCount({ size, length }: RowLayout): number {
  return length === 0 ? 0 : size / length;
}

/** Below this many elements the TypeScript loop beats copying into WebAssembly memory. */
const WASM_MIN_SIZE = 64;

/**
 * y = softmax(x) per row: subtract the row max so exp never overflows; a row that is −∞
 * everywhere stays all zeros (`y` must be zero-filled on entry); a row holding a NaN is NaN
 * everywhere, as in PyTorch. The denominator is summed in float64 whatever the dtype. Contiguous
 * float64 and float32 rows go to the WebAssembly SIMD kernels where they run (softmax-wasm.ts,
 * softmax32-wasm.ts, each with its own e^x); everything else to the loop below.
 */
export function softmaxForward(x: TensorData, y: TensorData, layout: RowLayout, useWasm = true): void {
  const { length, stride } = layout;
  if (useWasm && stride === 1 && layout.size >= WASM_MIN_SIZE) {
    if (x instanceof Float64Array && y instanceof Float64Array && softmaxWasm(x, y, rowCount(layout), length)) return;
    if (x instanceof Float32Array && y instanceof Float32Array && softmax32Wasm(x, y, rowCount(layout), length)) return;
  }
  const rows = rowCount(layout);
  for (let row = 0; row < rows; row++) {
    const start = rowStart(row, layout);
    const end = start + stride * length;
    let rowMax = -Infinity;
    for (let i = start; i < end; i += stride) if (x[i] > rowMax) rowMax = x[i];
    if (rowMax === -Infinity) {
      // The max skips NaN (a comparison with NaN is false): a row of −∞ and NaN lands here and
      // must be NaN, not the zeros of a fully masked row. Other rows with a NaN turn NaN below,
      // through exp(NaN) in the sum.
      if (rowHasNaN(x, start, end, stride)) for (let i = start; i < end; i += stride) y[i] = Number.NaN;
      continue;
    }
    let total = 0;
    for (let i = start; i < end; i += stride) {
      const e = Math.exp(x[i] - rowMax);
      y[i] = e;
      total += e;
    }
    for (let i = start; i < end; i += stride) y[i] /= total;
  }
}

function rowHasNaN(x: TensorData, start: number, end: number, stride: number): boolean {
  for (let i = start; i < end; i += stride) if (x[i] !== x[i]) return true;
  return false;
}

/**
 * dx = y ⊙ (dy − Σ_j dy_j y_j) per row, in one pass to sum and one to write (no temporaries).
 * The dot product is summed in four partial sums over j mod 4, combined (s0 + s2) + (s1 + s3): the
 * order of the float32 WebAssembly kernel (softmax32-wasm.ts, used for contiguous float32 rows),
 * so the two agree bit for bit.
 */
export function softmaxBackward(y: TensorData, dy: TensorData, dx: TensorData, layout: RowLayout, useWasm = true): void {
  const { length, stride } = layout;
  const rows = rowCount(layout);
  if (useWasm && stride === 1 && layout.size >= WASM_MIN_SIZE) {
    if (
      y instanceof Float32Array &&
      dy instanceof Float32Array &&
      dx instanceof Float32Array &&
      softmaxBackward32Wasm(y, dy, dx, rows, length)
    ) {
      return;
    }
  }
  for (let row = 0; row < rows; row++) {
    const start = rowStart(row, layout);
    const end = start + stride * length;
    const step = 4 * stride;
    let [s0, s1, s2, s3] = [0, 0, 0, 0];
    let i = start;
    for (; i + 3 * stride < end; i += step) {
      s0 += dy[i] * y[i];
      s1 += dy[i + stride] * y[i + stride];
      s2 += dy[i + 2 * stride] * y[i + 2 * stride];
      s3 += dy[i + 3 * stride] * y[i + 3 * stride];
    }
    if (i < end) s0 += dy[i] * y[i];
    if (i + stride < end) s1 += dy[i + stride] * y[i + stride];
    if (i + 2 * stride < end) s2 += dy[i + 2 * stride] * y[i + 2 * stride];
    const dot = s0 + s2 + (s1 + s3);
    for (let j = start; j < end; j += stride) dx[j] = y[j] * (dy[j] - dot);
  }
}
