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
  /** Write the cells at once instead of a placeholder (a small map redrawn often: the training view). */
  eager?: boolean;
}

/** Steps of the colour scale on each side of 0: cells take one of 2·LEVELS + 1 classes (`h-10` … `h0` … `h10`). */
const LEVELS = 10;

/** The style sheet of the quantised colour classes (one rule per level instead of a style per cell). */
export function paletteCss(): string {
  let css = '';
  for (let level = -LEVELS; level <= LEVELS; level++) css += `td.h${level}{background:${colour(level / LEVELS, 1)}}`;
  return `${css}td.hnan{background:rgb(200,200,200)}`;
}

function level(value: number, scale: number): string {
  if (!Number.isFinite(value)) return 'hnan';
  return `h${scale === 0 ? 0 : Math.round(Math.max(-1, Math.min(1, value / scale)) * LEVELS)}`;
}

/** Heatmaps written as placeholders, waiting to be filled (by id). */
const pending = new Map<string, { t: Tensor; options: HeatmapOptions }>();
let nextId = 0;

/** Width and height in px of one cell (fixed in style.css, so that a placeholder has the table's size). */
const CELL = { width: 34, height: 17 };

/**
 * A tensor as one table per leading index (rank ≤ 2 gives one table), written as a placeholder of
 * the table's size: `fillHeatmaps` fills the ones on screen at once and the others a few at a time
 * after the frame, so a change costs only the cells one can see.
 */
export function heatmap(t: Tensor, options: HeatmapOptions): string {
  const shape = t.shape.length === 0 ? [1, 1] : t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  const cols = shape[shape.length - 1];
  const rows = shape[shape.length - 2];
  const slices = t.size / Math.max(1, rows * cols);
  if (options.eager)
    return `<figure class="heatmap" data-map="${escapeHtml(options.name)}"><figcaption>${options.label} <span class="shape">[${t.shape.join(', ')}]</span></figcaption>${tables(t, options)}${legend(maxAbs(t))}</figure>`;
  const id = `m${nextId++}`;
  pending.set(id, { t, options });
  const size = `width:${cols * CELL.width}px;height:${slices * (rows * CELL.height + 5)}px`;
  return `<figure class="heatmap" data-map="${escapeHtml(options.name)}"><figcaption>${options.label} <span class="shape">[${t.shape.join(', ')}]</span></figcaption><div class="slot" data-slot="${id}" style="${size}"></div>${legend(maxAbs(t))}</figure>`;
}

/** The tables of one heatmap. The first cell of each table is in the tab order; arrow keys move within it (`moveFocus`). */
function tables(t: Tensor, options: HeatmapOptions): string {
  const shape = t.shape.length === 0 ? [1, 1] : t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  const cols = shape[shape.length - 1];
  const rows = shape[shape.length - 2];
  const slices = t.size / Math.max(1, rows * cols);
  const scale = maxAbs(t);
  const name = escapeHtml(options.name);
  const grad = options.gradientOf === undefined ? '' : ` data-grad="${escapeHtml(options.gradientOf)}"`;
  const index = new Array<number>(t.shape.length).fill(0);
  let html = '';
  for (let s = 0; s < slices; s++) {
    html += `<table class="cells" data-cols="${cols}"><tbody>`;
    for (let r = 0; r < rows; r++) {
      html += '<tr>';
      for (let c = 0; c < cols; c++) {
        const flat = (s * rows + r) * cols + c;
        const value = t.data[flat];
        const at = index.join(',');
        const worst = flat === options.highlight ? ' worst' : '';
        html += `<td tabindex="${r === 0 && c === 0 ? 0 : -1}" class="${level(value, scale)}${worst}" data-tensor="${name}" data-index="${at}" data-flat="${flat}" data-value="${value}"${grad} aria-label="${name}[${at}] = ${value}">${short(value)}</td>`;
        // The next row-major index.
        for (let axis = index.length - 1; axis >= 0; axis--) {
          index[axis] += 1;
          if (index[axis] < t.shape[axis]) break;
          index[axis] = 0;
        }
      }
      html += '</tr>';
    }
    html += '</tbody></table>';
  }
  return html;
}

function fill(slot: HTMLElement): void {
  const id = slot.dataset.slot!;
  const waiting = pending.get(id);
  if (waiting === undefined) return;
  pending.delete(id);
  slot.outerHTML = tables(waiting.t, waiting.options);
}

/**
 * Fills the placeholders under `root`: those in the viewport now, the rest in later tasks (one
 * heatmap per task, so the page answers between them). Placeholders no longer in the page are
 * dropped. `done` is called once every placeholder is filled.
 */
export function fillHeatmaps(root: HTMLElement, done: () => void = () => {}, onScreen?: readonly boolean[]): void {
  const slots = Array.from(root.querySelectorAll<HTMLElement>('[data-slot]'));
  const live = new Set(slots.map((slot) => slot.dataset.slot!));
  for (const id of [...pending.keys()]) if (!live.has(id) && !document.querySelector(`[data-slot="${id}"]`)) pending.delete(id);
  const height = window.innerHeight;
  const later: HTMLElement[] = [];
  // With a hint for exactly these slots (the same layout as before the change), no layout is forced here.
  const hint = onScreen !== undefined && onScreen.length === slots.length ? onScreen : undefined;
  slots.forEach((slot, at) => {
    const visible = hint !== undefined ? hint[at] : isOnScreen(slot, height);
    if (visible) fill(slot);
    else later.push(slot);
  });
  const next = (): void => {
    const slot = later.shift();
    if (slot === undefined) {
      done();
      return;
    }
    // A placeholder replaced meanwhile (a newer change) is dropped, not filled.
    if (slot.isConnected) fill(slot);
    else pending.delete(slot.dataset.slot!);
    setTimeout(next, 0);
  };
  // The first of them after the frame that shows the visible ones has been painted.
  if (later.length === 0) done();
  else requestAnimationFrame(() => setTimeout(() => setTimeout(next, 0), 0));
}

function isOnScreen(element: Element, height: number): boolean {
  const box = element.getBoundingClientRect();
  return box.bottom >= 0 && box.top <= height;
}

/**
 * Which heatmaps under `root` are on screen now, in order (for `fillHeatmaps`' hint). Read before
 * the change writes anything, it costs no layout: the last frame's layout is still valid.
 */
export function heatmapsOnScreen(root: HTMLElement | null): boolean[] | undefined {
  if (root === null) return undefined;
  const height = window.innerHeight;
  return Array.from(root.querySelectorAll('figure.heatmap'), (figure) => isOnScreen(figure, height));
}

/** Whether every heatmap written so far has been filled. */
export function heatmapsFilled(): boolean {
  return pending.size === 0;
}

/** Arrow keys (and Home/End) move the focus between the cells of one heatmap table. */
export function moveFocus(event: KeyboardEvent): void {
  const cell = (event.target as HTMLElement).closest('td');
  const table = cell?.closest<HTMLElement>('table.cells');
  if (!cell || !table) return;
  const cells = table.querySelectorAll<HTMLElement>('td');
  const cols = Number(table.dataset.cols);
  const at = Array.from(cells).indexOf(cell);
  const to = { ArrowLeft: at - 1, ArrowRight: at + 1, ArrowUp: at - cols, ArrowDown: at + cols, Home: 0, End: cells.length - 1 }[event.key];
  if (to === undefined || to < 0 || to >= cells.length) return;
  event.preventDefault();
  cell.tabIndex = -1;
  cells[to].tabIndex = 0;
  cells[to].focus();
}

/** The colour scale: −max … 0 … +max. */
export function legend(scale: number): string {
  const stops = [-1, -0.5, 0, 0.5, 1].map((f) => colour(f * scale, scale)).join(',');
  return `<div class="legend"><span>${short(-scale)}</span><span class="bar" style="background:linear-gradient(to right,${stops})" role="img" aria-label="colour scale from ${-scale} (blue) through 0 (white) to ${scale} (orange)"></span><span>${short(scale)}</span></div>`;
}
