import type { Tensor } from '@attograd/tensor';
import { formatNumber } from '../report/number-format';

/** At most this many rows and columns of a matrix are printed; the rest is elided with …. */
export const MAX_PRINTED = 8;

/**
 * A tensor as aligned text lines: a matrix row per line, leading axes (batch, head) as labelled
 * blocks `[0] …`, large matrices elided to their first rows and columns.
 *
 * @example
 * matrixLines(tensor([[1, -2], [3, 4]])) // ['[ 1.0000  -2.0000 ]', '[ 3.0000   4.0000 ]']
 */
export function matrixLines(t: Tensor, digits = 4): string[] {
  if (t.rank <= 1) return [rowText(Array.from(t.data), t.size, digits)];
  const [rows, cols] = t.shape.slice(-2);
  const blocks = t.size / (rows * cols);
  const lines: string[] = [];
  for (let b = 0; b < Math.min(blocks, MAX_PRINTED); b++) {
    if (blocks > 1) lines.push(blockLabel(t.shape.slice(0, -2), b));
    const block = t.data.subarray(b * rows * cols, (b + 1) * rows * cols);
    const values = Array.from(block).map((v) => formatNumber(v, digits));
    const width = Math.max(...values.map((v) => v.length));
    for (let r = 0; r < Math.min(rows, MAX_PRINTED); r++) {
      const cells = values.slice(r * cols, r * cols + Math.min(cols, MAX_PRINTED)).map((v) => v.padStart(width));
      lines.push(`[ ${cells.join('  ')}${cols > MAX_PRINTED ? '  …' : ''} ]`);
    }
    if (rows > MAX_PRINTED) lines.push(`  … ${rows - MAX_PRINTED} more rows`);
  }
  if (blocks > MAX_PRINTED) lines.push(`… ${blocks - MAX_PRINTED} more blocks`);
  return lines;
}

/**
 * A row of numbers, e.g. one row of P, elided after MAX_PRINTED values.
 *
 * @example
 * rowText([0.25, 0.75]) // '[ 0.2500  0.7500 ]'
 */
export function rowText(values: readonly number[], length = values.length, digits = 4): string {
  const shown = values.slice(0, Math.min(length, MAX_PRINTED)).map((v) => formatNumber(v, digits));
  return `[ ${shown.join('  ')}${length > MAX_PRINTED ? '  …' : ''} ]`;
}

/** `[1, 0]` for block 2 of leading axes [2, 2]. */
function blockLabel(leading: readonly number[], index: number): string {
  const coordinates: number[] = [];
  let rest = index;
  for (let axis = leading.length - 1; axis >= 0; axis--) {
    coordinates.unshift(rest % leading[axis]);
    rest = Math.floor(rest / leading[axis]);
  }
  return `[${coordinates.join(', ')}, :, :]`;
}
