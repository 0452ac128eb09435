import type { TensorData } from '@attograd/tensor';
import { softmaxWasm } from './softmax-wasm';

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
 * everywhere, as in PyTorch. The denominator is summed in float64 whatever the dtype. Contiguous float64 rows go to the
 * WebAssembly SIMD kernel where it runs (see softmax-wasm.ts); everything else to the loop below.
 */
export function softmaxForward(x: TensorData, y: TensorData, layout: RowLayout, useWasm = true): void {
  const { length, stride } = layout;
  const contiguous = stride === 1 && x instanceof Float64Array && y instanceof Float64Array;
  if (useWasm && contiguous && layout.size >= WASM_MIN_SIZE && softmaxWasm(x, y, rowCount(layout), length)) return;
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

/** dx = y ⊙ (dy − Σ_j dy_j y_j) per row, in one pass to sum and one to write (no temporaries). */
export function softmaxBackward(y: TensorData, dy: TensorData, dx: TensorData, layout: RowLayout): void {
  const { length, stride } = layout;
  const rows = rowCount(layout);
  for (let row = 0; row < rows; row++) {
    const start = rowStart(row, layout);
    const end = start + stride * length;
    let dot = 0;
    for (let i = start; i < end; i += stride) dot += dy[i] * y[i];
    for (let i = start; i < end; i += stride) dx[i] = y[i] * (dy[i] - dot);
  }
}
