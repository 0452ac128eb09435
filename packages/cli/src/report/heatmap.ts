import type { Tensor } from '@attograd/tensor';
import { colorScale, type ColorScale } from './color';
import { escapeHtml } from './html-page';
import { formatNumber } from './number-format';

/** Options of `heatmapSvg`. */
export interface HeatmapOptions {
  /** Shown above the map and stored as `data-title`. */
  readonly title: string;
  /** Blue–white–red around zero (for gradients and signed values). Default true. */
  readonly diverging?: boolean;
  /** Side of one cell in pixels. Default: 34 for small maps, smaller for large ones. */
  readonly cellSize?: number;
  /** Write each value inside its cell. Default: when the map has at most 10 rows and 10 columns. */
  readonly showValues?: boolean;
}

/**
 * The rows of a tensor as a matrix: rank 0 → 1×1, rank 1 → one row, rank > 2 → leading axes stacked.
 *
 * @example
 * matrixOf(zeros([2, 3, 4])) // { rows: 6, cols: 4, … }
 */
export function matrixOf(matrix: Tensor | readonly (readonly number[])[]): {
  rows: number;
  cols: number;
  values: ArrayLike<number>;
  shape: readonly number[];
} {
  if (Array.isArray(matrix)) {
    const rows = matrix.length;
    const cols = rows === 0 ? 0 : matrix[0].length;
    return { rows, cols, values: matrix.flat(), shape: [rows, cols] };
  }
  const tensor = matrix as Tensor;
  const cols = tensor.rank === 0 ? 1 : tensor.shape[tensor.rank - 1];
  return { rows: cols === 0 ? 0 : tensor.size / cols, cols, values: tensor.data, shape: tensor.shape };
}

/**
 * An inline SVG heatmap of a matrix (a Tensor of any rank, leading axes stacked as rows, or nested
 * arrays), with a colour legend. Each cell is a `<rect data-cell="row,col" data-value="…">`, so a
 * test can count `[data-cell]` against the shape; the `<svg>` carries `class="heatmap"`,
 * `data-title`, `data-rows` and `data-cols`. Non-finite values (a masked −∞ score) are grey.
 *
 * @example
 * heatmapSvg(tensor([[1, -2], [0.5, 3]]), { title: 'dS', diverging: true })
 */
export function heatmapSvg(matrix: Tensor | readonly (readonly number[])[], options: HeatmapOptions): string {
  const { rows, cols, values, shape } = matrixOf(matrix);
  const scale = colorScale(values, options.diverging ?? true);
  const cell = options.cellSize ?? (Math.max(rows, cols) <= 10 ? 34 : Math.max(8, Math.floor(340 / Math.max(rows, cols))));
  const showValues = options.showValues ?? (rows <= 10 && cols <= 10);
  const [top, left] = [24, 4];
  const gridWidth = cols * cell;
  const legendX = left + gridWidth + 14;
  // Wide enough for the title too (about 7 px per character at 13 px).
  const width = Math.max(legendX + 74, left + 7 * (options.title.length + 8));
  const height = Math.max(top + rows * cell, top + 150) + 6;
  const cells: string[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const value = values[r * cols + c];
      cells.push(cellSvg(r, c, value, left + c * cell, top + r * cell, cell, scale, showValues));
    }
  }
  const title = escapeHtml(options.title);
  return `<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}" data-title="${title}" data-rows="${rows}" data-cols="${cols}">
<text x="${left}" y="15" font-size="13" font-weight="600">${title} <tspan font-weight="400" fill="#5b5b66">[${shape.length > 2 ? `${shape.join('×')} → ` : ''}${rows}×${cols}]</tspan></text>
${cells.join('\n')}
${legendSvg(scale, legendX, top)}
</svg>`;
}

function cellSvg(
  row: number,
  col: number,
  value: number,
  x: number,
  y: number,
  size: number,
  scale: ColorScale,
  showValue: boolean,
): string {
  const text = formatNumber(value, 3);
  const rect = `<rect data-cell="${row},${col}" data-value="${value}" x="${x}" y="${y}" width="${size}" height="${size}" fill="${scale.color(value)}" stroke="#fff" stroke-width="1"><title>[${row}, ${col}] ${text}</title></rect>`;
  if (!showValue) return rect;
  const label = cellLabel(value);
  const fontSize = Math.max(7, Math.min(10, size / 3.6));
  return `${rect}<text x="${x + size / 2}" y="${y + size / 2 + fontSize / 3}" font-size="${fontSize}" text-anchor="middle" fill="${scale.textColor(value)}" pointer-events="none">${escapeHtml(label)}</text>`;
}

/** A vertical colour bar of discrete steps with the top, middle and bottom values. */
function legendSvg(scale: ColorScale, x: number, y: number): string {
  const steps = 11;
  const stepHeight = 12;
  const parts: string[] = [];
  for (let i = 0; i < steps; i++) {
    const value = scale.max - ((scale.max - scale.min) * i) / (steps - 1);
    parts.push(
      `<rect class="legend-step" x="${x}" y="${y + i * stepHeight}" width="14" height="${stepHeight}" fill="${scale.color(value)}"/>`,
    );
  }
  const label = (value: number, dy: number): string =>
    `<text x="${x + 18}" y="${y + dy + 4}" font-size="10" fill="#333">${escapeHtml(formatNumber(value, 3))}</text>`;
  const middle = (scale.max + scale.min) / 2;
  const bottom = (steps - 1) * stepHeight;
  return `<g class="legend">${parts.join('')}${label(scale.max, 0)}${label(middle, bottom / 2 + stepHeight / 2)}${label(scale.min, bottom + stepHeight)}</g>`;
}

/** A label that fits a cell: two decimals, three significant digits from 100 up, −∞ / NaN spelled out. */
function cellLabel(value: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  if (Math.abs(value) >= 100) return value.toPrecision(2).replace('e+', 'e');
  const fixed = value.toFixed(2);
  return fixed === '-0.00' ? '0.00' : fixed;
}
