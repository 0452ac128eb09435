import { escapeHtml } from './heatmap';

/** A small SVG line chart (optionally log-scaled axes) with a title and an accessible summary. */
export interface Series {
  label: string;
  points: ReadonlyArray<[number, number]>;
  colour: string;
  dash?: boolean;
}

export function lineChart(
  title: string,
  series: readonly Series[],
  options: { logX?: boolean; logY?: boolean; xLabel: string; yLabel: string; width?: number; height?: number },
): string {
  const width = options.width ?? 360;
  const height = options.height ?? 200;
  const pad = 40;
  const fx = (v: number): number => (options.logX ? Math.log10(v) : v);
  const fy = (v: number): number => (options.logY ? Math.log10(Math.max(v, 1e-300)) : v);
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(fx(x)) && Number.isFinite(fy(y)));
  if (all.length === 0) return '';
  const xs = all.map(([x]) => fx(x));
  const ys = all.map(([, y]) => fy(y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) {
    y0 -= 1;
    y1 += 1;
  }
  const px = (v: number): number => pad + ((fx(v) - x0) / (x1 - x0 || 1)) * (width - pad - 10);
  const py = (v: number): number => height - pad + 10 - ((fy(v) - y0) / (y1 - y0)) * (height - pad - 10);
  const lines = series
    .map((s) => {
      const d = s.points
        .filter(([x, y]) => Number.isFinite(fx(x)) && Number.isFinite(fy(y)))
        .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
        .join(' ');
      return `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ' stroke-dasharray="5 3"' : ''}/>`;
    })
    .join('');
  const fmt = (v: number, log?: boolean): string => (log ? `1e${Math.round(v)}` : Number(v.toPrecision(3)).toString());
  const keys = series
    .map(
      (s, i) =>
        `<text x="${pad + 4}" y="${14 + i * 14}" font-size="11" fill="${s.colour}">${s.dash ? '- -' : '—'} ${escapeHtml(s.label)}</text>`,
    )
    .join('');
  const summary = series.map((s) => `${s.label}: ${s.points.map(([x, y]) => `${x}→${Number(y.toPrecision(3))}`).join(', ')}`).join('; ');
  return (
    `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`${title}. ${summary}`)}">` +
    `<line x1="${pad}" y1="${height - pad + 10}" x2="${width - 10}" y2="${height - pad + 10}" stroke="#555"/><line x1="${pad}" y1="10" x2="${pad}" y2="${height - pad + 10}" stroke="#555"/>` +
    `<text x="${pad}" y="${height - 12}" font-size="10">${fmt(x0, options.logX)}</text><text x="${width - 40}" y="${height - 12}" font-size="10">${fmt(x1, options.logX)}</text>` +
    `<text x="2" y="${height - pad + 10}" font-size="10">${fmt(y0, options.logY)}</text><text x="2" y="18" font-size="10">${fmt(y1, options.logY)}</text>` +
    `<text x="${width / 2 - 30}" y="${height - 2}" font-size="10">${escapeHtml(options.xLabel)}</text><text x="2" y="${height / 2}" font-size="10">${escapeHtml(options.yLabel)}</text>` +
    `${lines}${keys}</svg></figure>`
  );
}
