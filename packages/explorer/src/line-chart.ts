import { escapeHtml } from './html';

/** One line of a chart: a name and its (x, y) points; a colour (default: the palette's next) and a dashed stroke if asked. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly colour?: string;
  readonly dash?: boolean;
}

/** Options of `lineChartSvg`. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Logarithmic axes (decades). Default true for both: the step-size sweep is read on log-log axes. */
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Draw the title inside the chart (default true; false when a caption beside it shows it). */
  readonly showTitle?: boolean;
  /** Draw each point as a `<circle data-point>` (default true; false for a long series redrawn often, as a live loss curve). */
  readonly markers?: boolean;
}

const COLORS = ['#3451b2', '#d1495b', '#2a9d8f', '#e9a23b'];
const MARGIN = { top: 30, right: 16, bottom: 46, left: 64 };

/**
 * An inline SVG line chart, by default on log-log axes with one tick per decade. On a log axis,
 * points with a value ≤ 0 or not finite cannot be drawn and are left out (their count is stored as
 * `data-dropped`). Each drawn point is a `<circle data-point="series,index" data-x data-y>`; the
 * chart's text alternative (`aria-label`) is its title and every series' points. The one line chart
 * of the explorer's page (`lineChart`) and of `attograd`'s HTML reports.
 *
 * @example
 * lineChartSvg([{ name: 'max |a − n|', points: [[1e-1, 1e-3], [1e-5, 1e-11]] }], { title: 'sweep', xLabel: 'h', yLabel: 'error' })
 */
export function lineChartSvg(series: readonly ChartSeries[], options: LineChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 340;
  const [logX, logY] = [options.logX ?? true, options.logY ?? true];
  const drawable = (x: number, y: number): boolean => Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
  const kept = series.map((line) => line.points.filter(([x, y]) => drawable(x, y)));
  const dropped = series.reduce((count, line, i) => count + line.points.length - kept[i].length, 0);
  const xAxis = axis(
    kept.flat().map(([x]) => x),
    logX,
    MARGIN.left,
    width - MARGIN.right,
  );
  const yAxis = axis(
    kept.flat().map(([, y]) => y),
    logY,
    height - MARGIN.bottom,
    MARGIN.top,
  );
  const lines = series.map((line, s) => {
    const color = line.colour ?? COLORS[s % COLORS.length];
    const dash = line.dash ? ' stroke-dasharray="5 3"' : '';
    const coords = kept[s].map(([x, y]) => [xAxis.position(x), yAxis.position(y), x, y] as const);
    const path = coords.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
    const dots = !(options.markers ?? true)
      ? ''
      : coords
          .map(
            ([px, py, x, y], i) =>
              `<circle data-point="${s},${i}" data-x="${x}" data-y="${y}" cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${color}"><title>${escapeHtml(line.name)}: (${x.toExponential(1)}, ${y.toExponential(2)})</title></circle>`,
          )
          .join('');
    const legendY = MARGIN.top + 4 + s * 16;
    const legend = `<line x1="${width - MARGIN.right - 150}" x2="${width - MARGIN.right - 132}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash}/><text x="${width - MARGIN.right - 126}" y="${legendY + 4}" font-size="11">${escapeHtml(line.name)}</text>`;
    return `<g class="series"><polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>${dots}${legend}</g>`;
  });
  const title = escapeHtml(options.title);
  const summary = series
    .map((line) => `${line.name}: ${line.points.map(([x, y]) => `${x}→${Number(y.toPrecision(3))}`).join(', ')}`)
    .join('; ');
  const heading = options.showTitle === false ? '' : `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="600">${title}</text>`;
  return `<svg class="line-chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${options.title}. ${summary}`)}" data-title="${title}" data-dropped="${dropped}">
${heading}
${xAxis.ticks.map((t) => `<line x1="${xAxis.position(t)}" x2="${xAxis.position(t)}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}" stroke="#eee"/><text x="${xAxis.position(t)}" y="${height - MARGIN.bottom + 15}" font-size="10" text-anchor="middle">${tickLabel(t, logX)}</text>`).join('')}
${yAxis.ticks.map((t) => `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${yAxis.position(t)}" y2="${yAxis.position(t)}" stroke="#eee"/><text x="${MARGIN.left - 6}" y="${yAxis.position(t) + 3}" font-size="10" text-anchor="end">${tickLabel(t, logY)}</text>`).join('')}
<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${width - MARGIN.left - MARGIN.right}" height="${height - MARGIN.top - MARGIN.bottom}" fill="none" stroke="#999"/>
<text x="${(MARGIN.left + width - MARGIN.right) / 2}" y="${height - 8}" font-size="12" text-anchor="middle">${escapeHtml(options.xLabel)}</text>
<text x="14" y="${(MARGIN.top + height - MARGIN.bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(MARGIN.top + height - MARGIN.bottom) / 2})">${escapeHtml(options.yLabel)}</text>
${lines.join('\n')}
</svg>`;
}

/** A linear or log axis mapping data values onto pixels [from, to], with its tick values. */
function axis(values: readonly number[], log: boolean, from: number, to: number): { position: (v: number) => number; ticks: number[] } {
  const transform = (v: number): number => (log ? Math.log10(v) : v);
  let low = values.length === 0 ? 0 : Math.min(...values.map(transform));
  let high = values.length === 0 ? 1 : Math.max(...values.map(transform));
  if (log) [low, high] = [Math.floor(low), Math.ceil(high)];
  if (high === low) [low, high] = [low - 1, high + 1];
  const position = (v: number): number => from + ((transform(v) - low) / (high - low)) * (to - from);
  const count = log ? high - low : 5;
  const every = log ? Math.max(1, Math.ceil(count / 10)) : 1;
  const ticks: number[] = [];
  for (let i = 0; i <= count; i += every) ticks.push(log ? 10 ** (low + i) : low + ((high - low) * i) / count);
  return { position, ticks };
}

function tickLabel(value: number, log: boolean): string {
  return log ? `1e${Math.round(Math.log10(value))}` : Number(value.toPrecision(3)).toString();
}
