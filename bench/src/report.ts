import type { Case } from './cases';
import type { Measurement } from './measure';
import { flopsOf, labelOf } from './work';

export const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'jax-wasm'] as const;
export const ENGINES = ['attograd', ...PEERS] as const;

export interface EngineResult extends Measurement {
  dtype: 'float64' | 'float32';
}

export interface Row {
  label: string;
  case: Case;
  results: Partial<Record<(typeof ENGINES)[number], EngineResult>>;
}

export function gflopsOf(row: Row, engine: (typeof ENGINES)[number]): number | null {
  const flops = flopsOf(row.case.work);
  const result = row.results[engine];
  return flops === null || result === undefined ? null : flops / (result.medianMs * 1e6);
}

const dtypeTag = (dtype: string) => (dtype === 'float64' ? 'f64' : 'f32');

function cell(result: EngineResult | undefined): string {
  if (result === undefined) return '—';
  const ms = result.medianMs;
  const text = ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
  return `${text} ms ${dtypeTag(result.dtype)}`;
}

/** attograd's speed-up over a peer: peer time / attograd time (> 1: attograd is faster). */
export function ratioOf(row: Row, peer: (typeof PEERS)[number]): number | null {
  const ours = row.results.attograd;
  const theirs = row.results[peer];
  return ours === undefined || theirs === undefined ? null : theirs.medianMs / ours.medianMs;
}

function goalCell(row: Row): string {
  const goal = row.case.goal;
  const ours = row.results.attograd;
  if (goal === undefined || ours === undefined) return '';
  return `${goal.text} ${goal.met(ours.medianMs, gflopsOf(row, 'attograd')) ? 'met' : 'NOT met'}`;
}

/** A markdown table: absolute medians, attograd's GFLOP/s, its speed-up over each peer, the goal. */
export function markdownTable(rows: readonly Row[]): string {
  const header = ['work', ...ENGINES, 'attograd GFLOP/s', ...PEERS.map((p) => `× vs ${p}`), 'goal'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const gflops = gflopsOf(row, 'attograd');
    const ratios = PEERS.map((peer) => {
      const ratio = ratioOf(row, peer);
      return ratio === null ? '—' : `${ratio.toFixed(ratio >= 10 ? 0 : 1)}×`;
    });
    const cells = [
      row.label,
      ...ENGINES.map((e) => cell(row.results[e])),
      gflops === null ? '' : gflops.toFixed(1),
      ...ratios,
      goalCell(row),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const COLORS: Record<(typeof ENGINES)[number], string> = {
  attograd: '#1b7837',
  'tfjs-cpu': '#999999',
  'tfjs-wasm': '#2166ac',
  'jax-wasm': '#b2182b',
};

/** A horizontal bar chart of median times (log scale), one group of bars per row. */
export function svgChart(rows: readonly Row[], title: string): string {
  const barHeight = 7;
  const groupHeight = ENGINES.length * barHeight + 8;
  const left = 270;
  const width = 900;
  const plotWidth = width - left - 90;
  const top = 50;
  const height = top + rows.length * groupHeight + 30;
  const times = rows.flatMap((row) => ENGINES.map((e) => row.results[e]?.medianMs ?? NaN)).filter(Number.isFinite);
  const low = Math.floor(Math.log10(Math.min(...times)));
  const high = Math.ceil(Math.log10(Math.max(...times)));
  const x = (ms: number) => left + ((Math.log10(ms) - low) / (high - low)) * plotWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  ENGINES.forEach((engine, i) => {
    parts.push(`<rect x="${left + i * 130}" y="28" width="10" height="10" fill="${COLORS[engine]}"/>`);
    parts.push(`<text x="${left + i * 130 + 14}" y="37">${engine}</text>`);
  });
  for (let decade = low; decade <= high; decade++) {
    const at = x(10 ** decade);
    parts.push(`<line x1="${at}" y1="${top - 4}" x2="${at}" y2="${height - 26}" stroke="#ddd"/>`);
    parts.push(`<text x="${at}" y="${height - 12}" text-anchor="middle">${formatMs(10 ** decade)}</text>`);
  }
  rows.forEach((row, r) => {
    const y0 = top + r * groupHeight;
    parts.push(`<text x="${left - 6}" y="${y0 + groupHeight / 2}" text-anchor="end">${escape(row.label)}</text>`);
    ENGINES.forEach((engine, i) => {
      const result = row.results[engine];
      if (result === undefined) return;
      const y = y0 + i * barHeight;
      const end = x(result.medianMs);
      parts.push(`<rect x="${left}" y="${y}" width="${Math.max(1, end - left)}" height="${barHeight - 1}" fill="${COLORS[engine]}"/>`);
      parts.push(`<text x="${end + 3}" y="${y + barHeight - 1}" font-size="8">${formatMs(result.medianMs)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function formatMs(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${+ms.toPrecision(3)} ms`;
  return `${+(ms * 1000).toPrecision(3)} µs`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export { labelOf };
