import type { Tensor } from '@attograd/tensor';
import { escapeHtml } from '../html';

/**
 * Heatmaps drawn on canvas, with the numbers as accessible tables in the canvas's fallback content.
 * Diverging scale, blue (negative) – white (0) – orange (positive), from ColorBrewer's
 * colour-blind-safe RdBu/PuOr families, light enough that black text stays readable on every cell.
 * Every cell is a focusable `td` (in the canvas's fallback content: in the accessibility tree and
 * the tab order, not laid out) carrying the test contract: data-tensor, data-index, data-value
 * (full precision). The pointer is mapped to the same cells (`cellAt`).
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

export interface HeatmapOptions {
  /** data-tensor: the tensor's name (`P`, `dS`, `dWq`). */
  name: string;
  /** Shown in the caption (may be math). */
  label: string;
  /** Gradient cells answer "where do you come from?" on hover/focus. */
  gradientOf?: string;
  /** Marks one flat index (the worst element of a failing check). */
  highlight?: number;
}

/** Steps of the colour scale on each side of 0: a cell takes one of 2·LEVELS + 1 colours. */
const LEVELS = 10;

/** The quantised colours, −LEVELS … LEVELS (index level + LEVELS), and the one for NaN and ±∞. */
const PALETTE = Array.from({ length: 2 * LEVELS + 1 }, (_, i) => colour((i - LEVELS) / LEVELS, 1));
const NAN_COLOUR = 'rgb(200,200,200)';

function paletteIndex(value: number, scale: number): number {
  return scale === 0 ? LEVELS : Math.round(Math.max(-1, Math.min(1, value / scale)) * LEVELS) + LEVELS;
}

/** Size in CSS px of one cell, and the gap between the tables of a rank-3 tensor. */
export const CELL = { width: 34, height: 17, gap: 5 };

/** Rows, columns and leading slices of a tensor drawn as a heatmap (a scalar or vector is one row). */
function geometry(t: Tensor): { rows: number; cols: number; slices: number } {
  const shape = t.shape.length === 0 ? [1, 1] : t.shape.length === 1 ? [1, t.shape[0]] : t.shape;
  const cols = shape[shape.length - 1];
  const rows = shape[shape.length - 2];
  return { rows, cols, slices: t.size / Math.max(1, rows * cols) };
}

/** The size in CSS px of a heatmap's canvas: its tables one above the other, `CELL.gap` apart. */
function canvasSize(rows: number, cols: number, slices: number): { width: number; height: number } {
  return { width: cols * CELL.width, height: slices * (rows * CELL.height + CELL.gap) - CELL.gap };
}

/** Where (CSS px, top-left) the cell at row-major `flat` is drawn on its canvas. */
function cellOrigin(flat: number, rows: number, cols: number): { x: number; y: number } {
  const slice = Math.floor(flat / (rows * cols));
  const row = Math.floor(flat / cols) % rows;
  return { x: (flat % cols) * CELL.width, y: slice * (rows * CELL.height + CELL.gap) + row * CELL.height };
}

/** What a heatmap's canvas shows and its cells carry (by canvas id). */
interface Shown {
  t: Tensor;
  options: HeatmapOptions;
  /** The values its cells carry now (written by `writeCells`): unchanged cells are not touched again. */
  written?: Float64Array;
}
/** Every heatmap canvas in the page (by `data-canvas`). */
const shown = new Map<string, Shown>();
let nextId = 0;
/** A canvas waiting to be drawn carries `data-slot`: a token, new at every change of its values. */
let nextToken = 0;

function wait(): string {
  return `s${nextToken++}`;
}

/**
 * A tensor as a heatmap: one canvas (colours and numbers drawn in one pass, one table per leading
 * index) whose fallback content is the accessible tables — every cell a focusable `td` carrying
 * the test contract (data-tensor, data-index, data-value at full precision) and a text label.
 * The canvas is written empty and waits in `data-slot` for `fillHeatmaps`, which draws the ones on
 * screen at once and the others after the frame, so a change costs only the cells one can see.
 */
export function heatmap(t: Tensor, options: HeatmapOptions): string {
  const { rows, cols, slices } = geometry(t);
  const id = `m${nextId++}`;
  shown.set(id, { t, options });
  const token = wait();
  const { width, height } = canvasSize(rows, cols, slices);
  return (
    `<figure class="heatmap" data-map="${escapeHtml(options.name)}"><figcaption>${options.label} <span class="shape">[${t.shape.join(', ')}]</span></figcaption>` +
    `<div class="canvas-box"><canvas data-canvas="${id}" data-slot="${token}" data-rows="${rows}" data-cols="${cols}" data-slices="${slices}" style="width:${width}px;height:${height}px"></canvas><div class="cursor" hidden></div></div>` +
    `<div class="legend"></div></figure>`
  );
}

/**
 * Shows new values in heatmaps already on the page (a change that keeps their layout: same names,
 * shapes and captions): each figure's picture, legend and cells are redrawn by `fillHeatmaps` (those
 * on screen at once). Nothing is written here, so that `fillHeatmaps` reads the positions without
 * forcing a layout. Returns false (and changes nothing) when the figures under
 * `root` are not exactly these maps, so that the caller rebuilds them.
 */
export function updateHeatmaps(root: HTMLElement, maps: ReadonlyArray<{ t: Tensor; options: HeatmapOptions }>): boolean {
  const figures = Array.from(root.querySelectorAll<HTMLElement>('figure.heatmap'));
  if (figures.length !== maps.length) return false;
  const canvases = figures.map((figure) => figure.querySelector('canvas'));
  const same = maps.every(({ t, options }, at) => {
    const id = canvases[at]?.dataset.canvas;
    const before = id === undefined ? undefined : shown.get(id);
    return (
      before !== undefined &&
      before.options.name === options.name &&
      before.options.gradientOf === options.gradientOf &&
      before.t.shape.length === t.shape.length &&
      before.t.shape.every((n, axis) => n === t.shape[axis])
    );
  });
  if (!same) return false;
  maps.forEach(({ t, options }, at) => {
    const canvas = canvases[at]!;
    const id = canvas.dataset.canvas!;
    shown.set(id, { t, options, written: shown.get(id)?.written });
    canvas.dataset.slot = wait();
  });
  return true;
}

/** The accessible tables of one heatmap (the canvas's fallback content). The first cell of each table is in the tab order; arrow keys move within it (`moveFocus`). */
function tables(t: Tensor, options: HeatmapOptions): string {
  const { rows, cols, slices } = geometry(t);
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
        html += `<td tabindex="${r === 0 && c === 0 ? 0 : -1}" data-tensor="${name}" data-index="${at}" data-flat="${flat}" data-value="${value}"${grad} aria-label="${name}[${at}] = ${value}"></td>`;
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

/** Draws one heatmap: a cell per element in its quantised colour with its short value, the worst element outlined. */
function draw(canvas: HTMLCanvasElement, { t, options }: Shown): void {
  const { rows, cols, slices } = geometry(t);
  const scale = maxAbs(t);
  const key = legend(scale);
  const box = canvas.closest('figure')?.querySelector<HTMLElement>('.legend');
  if (box && box.dataset.scale !== String(scale)) {
    box.dataset.scale = String(scale);
    box.innerHTML = key;
  }
  const { width, height } = canvasSize(rows, cols, slices);
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d', { alpha: false })!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  // Colours first, grouped by level (one fillStyle per level), then the numbers in one colour.
  const byLevel = new Map<number, number[]>();
  for (let flat = 0; flat < t.size; flat++) {
    const value = t.data[flat];
    const key = Number.isFinite(value) ? paletteIndex(value, scale) : -1;
    let list = byLevel.get(key);
    if (list === undefined) byLevel.set(key, (list = []));
    list.push(flat);
  }
  for (const [key, list] of byLevel) {
    context.fillStyle = key < 0 ? NAN_COLOUR : PALETTE[key];
    for (const flat of list) {
      const { x, y } = cellOrigin(flat, rows, cols);
      context.fillRect(x, y, CELL.width - 1, CELL.height - 1);
    }
  }
  context.fillStyle = '#000';
  context.font = '10px ui-monospace, monospace';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (let flat = 0; flat < t.size; flat++) {
    const { x, y } = cellOrigin(flat, rows, cols);
    const text = short(t.data[flat]);
    const centre = x + (CELL.width - 1) / 2;
    // Only a long number is squeezed to the cell (fitting text to a width costs a measurement).
    if (text.length < 6) context.fillText(text, centre, y + CELL.height / 2);
    else context.fillText(text, centre, y + CELL.height / 2, CELL.width - 3);
  }
  if (options.highlight !== undefined && options.highlight < t.size) {
    const { x, y } = cellOrigin(options.highlight, rows, cols);
    context.strokeStyle = '#a00';
    context.lineWidth = 3;
    context.strokeRect(x + 1.5, y + 1.5, CELL.width - 4, CELL.height - 4);
  }
}

/** Writes a drawn heatmap's accessible cells (focus, when a cell had it, stays on the same index). */
function writeCells(canvas: HTMLCanvasElement, what: Shown): void {
  const { t, written } = what;
  const cells = canvas.getElementsByTagName('td');
  if (written !== undefined && written.length === t.size && cells.length === t.size) {
    // The same cells (same tensor name and shape, kept by `updateHeatmaps`): only the values that
    // changed are written, no parsing.
    const name = escapeHtml(what.options.name);
    for (let flat = 0; flat < t.size; flat++) {
      const value = t.data[flat];
      if (Object.is(value, written[flat])) continue;
      written[flat] = value;
      const cell = cells[flat];
      cell.setAttribute('data-value', String(value));
      cell.setAttribute('aria-label', `${name}[${cell.getAttribute('data-index')}] = ${value}`);
    }
    return;
  }
  const focused = canvas.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.flat : undefined;
  canvas.innerHTML = tables(t, what.options);
  what.written = Float64Array.from(t.data);
  if (focused !== undefined) canvas.querySelector<HTMLElement>(`td[data-flat="${focused}"]`)?.focus();
}

/**
 * Draws the heatmaps waiting under `root`: the pictures of those in the viewport now, everything
 * else in later tasks, one heatmap per task so the page answers between them — their accessible
 * cells (parsing a few thousand cells costs more than drawing them), then the pictures and cells of
 * the heatmaps off screen. A heatmap keeps `data-slot` until its cells are written. Canvases no
 * longer in the page are forgotten. `done` is called once every waiting heatmap is complete.
 */
export function fillHeatmaps(root: HTMLElement, done: () => void = () => {}): void {
  for (const id of [...shown.keys()]) if (document.querySelector(`canvas[data-canvas="${id}"]`) === null) shown.delete(id);
  const waiting = Array.from(root.querySelectorAll<HTMLCanvasElement>('canvas[data-slot]'));
  const height = window.innerHeight;
  // Which are on screen is read for all of them before any is drawn (one layout, not one per map).
  const visible = waiting.map((canvas) => isOnScreen(canvas, height));
  const later: Array<{ canvas: HTMLCanvasElement; slot: string; drawn: boolean }> = [];
  waiting.forEach((canvas, at) => {
    if (visible[at]) draw(canvas, shown.get(canvas.dataset.canvas!)!);
    later.push({ canvas, slot: canvas.dataset.slot!, drawn: visible[at] });
  });
  // The cells of the maps on screen first, then the maps off screen.
  later.sort((a, b) => Number(b.drawn) - Number(a.drawn));
  const next = (): void => {
    const item = later.shift();
    if (item === undefined) {
      done();
      return;
    }
    const { canvas, slot, drawn } = item;
    // Redrawn meanwhile by a newer change (its own fill completes it), or no longer in the page: skipped.
    const id = canvas.dataset.canvas!;
    const what = shown.get(id);
    if (canvas.isConnected && canvas.dataset.slot === slot && what !== undefined) {
      if (!drawn) draw(canvas, what);
      writeCells(canvas, what);
      canvas.removeAttribute('data-slot');
    }
    setTimeout(next, 0);
  };
  if (later.length === 0) done();
  // The first of them after the frame that shows the visible ones has been painted.
  else requestAnimationFrame(() => setTimeout(() => setTimeout(next, 0), 0));
}

function isOnScreen(element: Element, height: number): boolean {
  const box = element.getBoundingClientRect();
  return box.bottom >= 0 && box.top <= height;
}

/** Whether every heatmap under `root` is drawn, cells included. */
export function heatmapsFilled(root: ParentNode): boolean {
  return root.querySelector('canvas[data-slot]') === null;
}

/** The cell of a heatmap canvas under a point of the page (client coordinates), or null between cells. */
export function cellAt(canvas: HTMLCanvasElement, clientX: number, clientY: number): HTMLElement | null {
  const rows = Number(canvas.dataset.rows);
  const cols = Number(canvas.dataset.cols);
  const box = canvas.getBoundingClientRect();
  const x = clientX - box.left;
  const y = clientY - box.top;
  const block = rows * CELL.height + CELL.gap;
  const s = Math.floor(y / block);
  const r = Math.floor((y - s * block) / CELL.height);
  const c = Math.floor(x / CELL.width);
  if (x < 0 || c >= cols || y < 0 || r >= rows || s >= Number(canvas.dataset.slices)) return null;
  return canvas.querySelector<HTMLElement>(`td[data-flat="${(s * rows + r) * cols + c}"]`);
}

/** Outlines a cell on its canvas (the pointer's or the keyboard focus's), or hides every outline. */
export function showCursor(cell: HTMLElement | null): void {
  for (const cursor of Array.from(document.querySelectorAll<HTMLElement>('.canvas-box .cursor:not([hidden])'))) cursor.hidden = true;
  const canvas = cell?.closest('canvas');
  if (!cell || !canvas) return;
  const rows = Number(canvas.dataset.rows);
  const cols = Number(canvas.dataset.cols);
  const { x, y } = cellOrigin(Number(cell.dataset.flat), rows, cols);
  const cursor = canvas.parentElement!.querySelector<HTMLElement>('.cursor')!;
  cursor.style.transform = `translate(${x}px,${y}px)`;
  cursor.hidden = false;
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
  return `<span>${short(-scale)}</span><span class="bar" style="background:linear-gradient(to right,${stops})" role="img" aria-label="colour scale from ${-scale} (blue) through 0 (white) to ${scale} (orange)"></span><span>${short(scale)}</span>`;
}
