import type { Tensor } from '@attograd/tensor';

/**
 * Heatmaps as HTML tables. Diverging scale, blue (negative) – white (0) – orange (positive), from
 * ColorBrewer's colour-blind-safe RdBu/PuOr families, light enough that black text stays readable
 * on every cell. Every cell is focusable and carries the test contract: data-tensor, data-index,
 * data-value (full precision).
 */

const NEGATIVE = [33, 102, 172]; // ColorBrewer PuOr/RdBu blue end, lightened below
const POSITIVE = [230, 97, 1]; // ColorBrewer PuOr orange end
const LIGHTEST = 0.45; // the strongest colour is mixed 45 % with white: contrast with black text stays above 7:1

export function colour(value: number, scale: number): string {
  if (!Number.isFinite(value)) return 'rgb(200,200,200)';
  const share = scale === 0 ? 0 : Math.min(1, Math.abs(value) / scale) * (1 - LIGHTEST);
  const end = value < 0 ? NEGATIVE : POSITIVE;
  const mix = end.map((c) => Math.round(255 + (c - 255) * share));
  return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
}

export function short(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const a = Math.abs(value);
  return a >= 1e-2 && a < 1e3 ? value.toFixed(a >= 10 ? 1 : 2) : value.toExponential(0);
}

export function maxAbs(t: Tensor): number {
  let m = 0;
  for (let i = 0; i < t.size; i++) {
    const a = Math.abs(t.data[i]);
    if (a > m) m = a;
  }
  return m;
}

function indexOf(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HeatmapOptions {
  /** data-tensor: the tensor's name (`P`, `dS`, `dWq`). */
  name: string;
  /** Shown in the caption (may be math). */
  label: string;
  /** Gradient cells answer "where do you come from?" on hover/focus. */
  gradientOf?: string;
  /** Marks one flat index (the worst element of a failing check). */
  highlight?: number;
  /** Extra attribute per cell (the mask editor's buttons). */
  clickable?: boolean;
}

/** A tensor as one table per leading index (rank ≤ 2 gives one table). */
export function heatmap(t: Tensor, options: HeatmapOptions): string {
  const shape = t.shape.length === 0 ? [1, 1] : t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  const cols = shape[shape.length - 1];
  const rows = shape[shape.length - 2];
  const slices = t.size / Math.max(1, rows * cols);
  const scale = maxAbs(t);
  const grad = options.gradientOf === undefined ? '' : ` data-grad="${escapeHtml(options.gradientOf)}"`;
  let html = `<figure class="heatmap"><figcaption>${options.label} <span class="shape">[${t.shape.join(', ')}]</span></figcaption>`;
  for (let s = 0; s < slices; s++) {
    html += '<table class="cells"><tbody>';
    for (let r = 0; r < rows; r++) {
      html += '<tr>';
      for (let c = 0; c < cols; c++) {
        const flat = (s * rows + r) * cols + c;
        const value = t.data[flat];
        const index = t.shape.length === 0 ? '' : indexOf(flat, t.shape).join(',');
        const mark = flat === options.highlight ? ' class="worst"' : '';
        html += `<td tabindex="0"${mark} data-tensor="${escapeHtml(options.name)}" data-index="${index}" data-flat="${flat}" data-value="${value}"${grad} aria-label="${escapeHtml(options.name)}[${index}] = ${value}" style="background:${colour(value, scale)}">${short(value)}</td>`;
      }
      html += '</tr>';
    }
    html += '</tbody></table>';
  }
  return `${html}${legend(scale)}</figure>`;
}

/** The colour scale: −max … 0 … +max. */
export function legend(scale: number): string {
  const stops = [-1, -0.5, 0, 0.5, 1].map((f) => colour(f * scale, scale)).join(',');
  return `<div class="legend"><span>${short(-scale)}</span><span class="bar" style="background:linear-gradient(to right,${stops})" role="img" aria-label="colour scale from ${-scale} (blue) through 0 (white) to ${scale} (orange)"></span><span>${short(scale)}</span></div>`;
}
