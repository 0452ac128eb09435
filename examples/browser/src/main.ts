/**
 * The page: runs the demo for the seed in the address (`?seed=7`, default 0) and draws it. Every
 * number is shown as text and kept at full precision in a `data-value` attribute, which the
 * browser test compares with Node's run of the same demo.
 */
import { INPUT_NAMES, runDemo, type DemoResult } from './demo';

const SVG = 'http://www.w3.org/2000/svg';
const CELL = 56;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** White at weight 0 to deep blue at weight 1 (a weight is a probability). */
function shade(weight: number): string {
  const light = Math.round(97 - 62 * weight);
  return `hsl(220 80% ${light}%)`;
}

/** P as a grid of squares, query tokens down, key tokens across, each labelled with its weight. */
function heatmap(weights: number[][]): SVGSVGElement {
  const size = weights.length * CELL;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('width', String(size));
  svg.setAttribute('id', 'heatmap');
  weights.forEach((row, query) =>
    row.forEach((weight, key) => {
      const cell = document.createElementNS(SVG, 'g');
      cell.setAttribute('data-row', String(query));
      cell.setAttribute('data-col', String(key));
      cell.setAttribute('data-value', String(weight));
      const square = document.createElementNS(SVG, 'rect');
      for (const [name, value] of Object.entries({ x: key * CELL, y: query * CELL, width: CELL - 2, height: CELL - 2 }))
        square.setAttribute(name, String(value));
      square.setAttribute('fill', shade(weight));
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', String(key * CELL + CELL / 2 - 1));
      label.setAttribute('y', String(query * CELL + CELL / 2 + 4));
      label.setAttribute('text-anchor', 'middle');
      label.setAttribute('fill', weight > 0.55 ? 'white' : 'black');
      label.textContent = weight.toFixed(3);
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `query ${query} → key ${key}: ${weight}`;
      cell.append(square, label, title);
      svg.append(cell);
    }),
  );
  return svg;
}

/** Z as a table; each cell shows 6 decimals and keeps the exact value. */
function outputTable(output: number[][]): HTMLTableElement {
  const table = element('table', '', { id: 'output' });
  for (const row of output) {
    const tr = element('tr');
    for (const value of row) tr.append(element('td', value.toFixed(6), { 'data-value': String(value) }));
    table.append(tr);
  }
  return table;
}

function gradcheckTable(result: DemoResult): HTMLTableElement {
  const table = element('table', '', { id: 'gradcheck' });
  const header = element('tr');
  header.append(...['input', '‖gradient‖', 'max |a − n|', 'max relative'].map((head) => element('th', head)));
  table.append(header);
  for (const input of result.gradcheck.inputs) {
    const tr = element('tr', '', { 'data-input': input.name });
    tr.append(
      element('td', input.name),
      element('td', result.gradientNorms[input.name].toFixed(6), {
        'data-field': 'gradientNorm',
        'data-value': String(result.gradientNorms[input.name]),
      }),
      element('td', input.maxAbsError.toExponential(2), { 'data-field': 'maxAbsError', 'data-value': String(input.maxAbsError) }),
      element('td', input.maxRelError.toExponential(2), { 'data-field': 'maxRelError', 'data-value': String(input.maxRelError) }),
    );
    table.append(tr);
  }
  return table;
}

function render(result: DemoResult, root: HTMLElement): void {
  const verdict = element('h2', `Gradcheck (finite differences vs autograd, ${INPUT_NAMES.length} inputs): `);
  verdict.append(element('span', result.gradcheck.ok ? 'passed' : 'FAILED', { id: 'verdict', 'data-ok': String(result.gradcheck.ok) }));
  root.append(
    element(
      'p',
      `seed ${result.seed}: X is ${result.tokens}×${result.dModel}; W_q, W_k, W_v are ${result.dModel}×${result.dModel}; causal mask.`,
    ),
    element('h2', 'Attention weights P = softmax(Q·Kᵀ/√d)'),
    element('p', 'One row per query token (down), one column per key token (across); the causal mask leaves zeros above the diagonal.'),
    heatmap(result.weights),
    element('h2', 'Output Z = P·V'),
    outputTable(result.output),
    verdict,
    gradcheckTable(result),
  );
}

function start(): void {
  const root = document.getElementById('app')!;
  const seed = Number(new URLSearchParams(location.search).get('seed') ?? '0');
  try {
    render(runDemo(seed), root);
    document.body.dataset.state = 'done';
  } catch (error) {
    root.append(element('pre', String(error instanceof Error ? error.stack : error), { id: 'error' }));
    document.body.dataset.state = 'error';
  }
}

start();
