import type { TensorData } from '@attograd/tensor';

/**
 * Packing for the blocked matmul kernels (as in GotoBLAS): a matrix operand is copied into
 * panels `width` wide so the micro-kernel reads both operands contiguously, one k step at a time.
 *
 * The operand is seen as M[o, p] with o the outer index (rows of op(A), or columns of op(B)) and
 * p the inner index (0 ≤ p < k), element at `offset + o·outerStride + p·innerStride`. Either
 * stride may be 1, which is how op(A) = Aᵀ or op(B) = Bᵀ is read without materialising a
 * transpose. Panel `q` holds M[q·width + lane, p] at `destOffset + (q·kPadded + p)·width + lane`;
 * lanes past the last o and steps past k are zero, so the kernel never needs an edge case.
 */
export interface Operand {
  readonly data: TensorData;
  readonly offset: number;
  readonly outerStride: number;
  readonly innerStride: number;
  /** Number of o indices. */
  readonly outer: number;
}

/** The operand view of op(A) [m, k] (outer = rows) for A stored row-major at `offset`. */
export function leftOperand(a: TensorData, offset: number, transpose: boolean, m: number, k: number): Operand {
  return transpose
    ? { data: a, offset, outerStride: 1, innerStride: m, outer: m }
    : { data: a, offset, outerStride: k, innerStride: 1, outer: m };
}

/** The operand view of op(B) [k, n] (outer = columns) for B stored row-major at `offset`. */
export function rightOperand(b: TensorData, offset: number, transpose: boolean, k: number, n: number): Operand {
  return transpose
    ? { data: b, offset, outerStride: k, innerStride: 1, outer: n }
    : { data: b, offset, outerStride: 1, innerStride: n, outer: n };
}

/**
 * The k steps summed per block: both matmul kernels add each block's sum into C in turn, so they
 * sum in the same order.
 */
export const K_BLOCK = 128;

/** Panels of `width` covering `count` indices. */
export function panelCount(count: number, width: number): number {
  return Math.ceil(count / width);
}

/** Packs `source` (k inner steps, padded with zeros to kPadded) into `dest` at `destOffset`. */
export function packPanels(source: Operand, k: number, kPadded: number, width: number, dest: TensorData, destOffset: number): void {
  const { data, offset, outerStride, innerStride, outer } = source;
  const panels = panelCount(outer, width);
  zeroPadding(outer, k, kPadded, width, dest, destOffset, width, kPadded * width);
  if (innerStride === 1) {
    // Each o is a contiguous run along p: read it in order, write with stride `width`.
    for (let o = 0; o < outer; o++) {
      const from = offset + o * outerStride;
      let to = destOffset + (o - (o % width)) * kPadded + (o % width);
      for (let p = 0; p < k; p++, to += width) dest[to] = data[from + p];
    }
    return;
  }
  // outerStride is 1: each p holds `width` contiguous lanes of a panel.
  for (let panel = 0; panel < panels; panel++) {
    const first = panel * width;
    const lanes = Math.min(width, outer - first);
    for (let p = 0; p < k; p++) {
      const from = offset + first + p * innerStride;
      const to = destOffset + (panel * kPadded + p) * width;
      for (let lane = 0; lane < lanes; lane++) dest[to + lane] = data[from + lane];
    }
  }
}

/**
 * Where element (o, p) of a placed operand is, with o = panel·width + lane:
 * `destOffset + panel·panelStride + lane·laneStride + p·step`.
 */
export interface Placement {
  /** Elements from one k step to the next. */
  readonly step: number;
  /** Elements from one lane of a panel to the next. */
  readonly laneStride: number;
  /** Elements from one panel to the next. */
  readonly panelStride: number;
}

/**
 * Puts `source` into `dest` (WebAssembly memory) where the kernel can read it, as cheaply as its
 * layout allows; it fills `placedSize(…)` elements from destOffset.
 * - The outer index is contiguous (op(A) = Aᵀ, or op(B) = B): each k step is already a row of
 *   lanes, so copy the rows, with the row length padded to whole panels.
 * - The k axis is contiguous and `lanesContiguous` is false (op(A) = A, whose lanes the kernel
 *   splats one by one): copy the whole block as it is, plus zero rows up to whole panels.
 * - Otherwise (op(B) = Bᵀ, whose lanes the kernel loads as vectors): pack panels.
 */
export function placeOperand(
  source: Operand,
  k: number,
  width: number,
  lanesContiguous: boolean,
  dest: TensorData,
  destOffset: number,
): Placement {
  const { data, offset, outerStride, innerStride, outer } = source;
  if (outerStride === 1) {
    const rowLength = copiedRowLength(outer, k, width, dest.BYTES_PER_ELEMENT);
    if (rowLength === outer && innerStride === outer) {
      dest.set(data.subarray(offset, offset + k * outer), destOffset); // rows back to back: one memcpy
      return { step: rowLength, laneStride: 1, panelStride: width };
    }
    zeroPadding(outer, k, k, width, dest, destOffset, rowLength, width);
    copyRows(data, offset, innerStride, dest, destOffset, rowLength, k, outer);
    return { step: rowLength, laneStride: 1, panelStride: width };
  }
  if (!lanesContiguous && outerStride === k && innerStride === 1) {
    dest.set(data.subarray(offset, offset + outer * k), destOffset);
    dest.fill(0, destOffset + outer * k, destOffset + panelCount(outer, width) * width * k);
    return { step: 1, laneStride: k, panelStride: width * k };
  }
  packPanels(source, k, k, width, dest, destOffset);
  return { step: width, laneStride: 1, panelStride: k * width };
}

/**
 * Copies k rows of `outer` elements, `innerStride` apart in `data`, to rows `rowLength` apart in
 * `dest`. A function of its own (not a loop inside placeOperand), so V8 optimises this small loop
 * early instead of compiling all of placeOperand on the stack.
 */
function copyRows(
  data: TensorData,
  offset: number,
  innerStride: number,
  dest: TensorData,
  destOffset: number,
  rowLength: number,
  k: number,
  outer: number,
): void {
  for (let p = 0; p < k; p++) {
    const from = offset + p * innerStride;
    const to = destOffset + p * rowLength;
    // A memcpy per row pays once a row is long; short rows are cheaper copied element by element.
    if (outer >= 256) dest.set(data.subarray(from, from + outer), to);
    else for (let o = 0; o < outer; o++) dest[to + o] = data[from + o];
  }
}

/**
 * The row length of a copied operand: whole panels, plus one more when rows a multiple of 512
 * bytes apart would fall into 8 or fewer L1 cache sets (the sets repeat every 4 KB) and more k
 * steps than those sets hold (64 lines) would then evict each other.
 */
function copiedRowLength(outer: number, k: number, width: number, bytesPerElement: number): number {
  const panelled = panelCount(outer, width) * width;
  return (panelled * bytesPerElement) % 512 === 0 && k > 64 ? panelled + width : panelled;
}

/** How many elements `placeOperand` fills for this operand. */
export function placedSize(source: Operand, k: number, width: number, bytesPerElement: number): number {
  const rowLength =
    source.outerStride !== 1 ? panelCount(source.outer, width) * width : copiedRowLength(source.outer, k, width, bytesPerElement);
  return k * rowLength;
}

/** Zeroes the lanes past `outer` in the last panel and the steps k ≤ p < kPadded of every panel. */
function zeroPadding(
  outer: number,
  k: number,
  kPadded: number,
  width: number,
  dest: TensorData,
  destOffset: number,
  step: number,
  panelStride: number,
): void {
  const panels = panelCount(outer, width);
  const usedLanes = outer - (panels - 1) * width;
  for (let panel = 0; panel < panels; panel++) {
    const base = destOffset + panel * panelStride;
    for (let p = k; p < kPadded; p++) dest.fill(0, base + p * step, base + p * step + width);
  }
  if (usedLanes === width) return;
  const last = destOffset + (panels - 1) * panelStride;
  for (let p = 0; p < k; p++) dest.fill(0, last + p * step + usedLanes, last + p * step + width);
}
