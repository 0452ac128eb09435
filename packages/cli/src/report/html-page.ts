import { escapeHtml } from '@attograd/explorer';

/** The one HTML escaper, the explorer's (named references for & < > " '). */
export { escapeHtml } from '@attograd/explorer';

/**
 * The page of an attograd report: one self-contained HTML document (inline CSS, no scripts, no
 * fonts or images from the network), shared by `attograd explain --html` and `attograd check --html`.
 */

/** One section of a report page: a heading and a body of HTML (already escaped where needed). */
export interface ReportSection {
  /** The element id, used in the table of contents and by tests (`section#<id>`). */
  readonly id: string;
  /** The heading, plain text (escaped by `renderPage`). */
  readonly title: string;
  /** The body, HTML. Build it with `escapeHtml`, `htmlTable`, `heatmapSvg`, … */
  readonly html: string;
  /** Extra data attributes on the `<section>`, e.g. `{ stage: 'softmax' }` → `data-stage="softmax"`. */
  readonly data?: Readonly<Record<string, string>>;
}

/** What `renderPage` needs. */
export interface PageOptions {
  /** The page title and top heading (plain text). */
  readonly title: string;
  /** The `lang` attribute of the page, e.g. `'en'` or `'ko'`. */
  readonly lang: string;
  /** An optional paragraph under the title (HTML). */
  readonly intro?: string;
  readonly sections: readonly ReportSection[];
  /** The heading of the table of contents. Default 'Contents'. */
  readonly contentsTitle?: string;
}

/**
 * A whole report as one self-contained HTML string: `<section id=… class="report-section">` per
 * section, a table of contents linking to them, and the inline stylesheet. Nothing is fetched.
 *
 * @example
 * writeFileSync('report.html', renderPage({ title: 'attograd explain', lang: 'en', sections: [{ id: 'softmax', title: 'Softmax', html: '<p>…</p>' }] }));
 */
export function renderPage(options: PageOptions): string {
  const contents = options.sections
    .map((section) => `<li><a href="#${escapeHtml(section.id)}">${escapeHtml(section.title)}</a></li>`)
    .join('');
  const body = options.sections.map(renderSection).join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(options.title)}</h1>${options.intro ? `<div class="intro">${options.intro}</div>` : ''}
<nav><h2>${escapeHtml(options.contentsTitle ?? 'Contents')}</h2><ol>${contents}</ol></nav></header>
<main>
${body}
</main>
</body>
</html>
`;
}

function renderSection(section: ReportSection): string {
  const data = Object.entries(section.data ?? {})
    .map(([key, value]) => ` data-${escapeHtml(key)}="${escapeHtml(value)}"`)
    .join('');
  return `<section id="${escapeHtml(section.id)}" class="report-section"${data}>
<h2>${escapeHtml(section.title)}</h2>
${section.html}
</section>`;
}

/**
 * A plain HTML table; every cell is escaped text. The first row is the header.
 *
 * @example
 * htmlTable([['input', 'shape'], ['X', '[3, 4]']])
 */
export function htmlTable(rows: readonly (readonly string[])[], className = 'data'): string {
  if (rows.length === 0) return '';
  const [head, ...rest] = rows;
  const headHtml = `<tr>${head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr>`;
  const bodyHtml = rest.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table class="${escapeHtml(className)}"><thead>${headHtml}</thead><tbody>${bodyHtml}</tbody></table>`;
}

/**
 * A formula or derivation block: escaped, monospace, wrapped. Pass lines for a multi-line block.
 *
 * @example
 * formulaBlock(['dA = dC·Bᵀ', 'dB = Aᵀ·dC'])
 */
export function formulaBlock(lines: string | readonly string[], className = 'formula'): string {
  const text = typeof lines === 'string' ? lines : lines.join('\n');
  return `<pre class="${escapeHtml(className)}">${escapeHtml(text)}</pre>`;
}

/**
 * A row of figures (heatmaps, charts) that wraps on narrow screens. Each item is HTML.
 *
 * @example
 * figureRow([heatmapSvg(q, { title: 'Q' }), heatmapSvg(k, { title: 'K' })])
 */
export function figureRow(items: readonly string[]): string {
  return `<div class="figures">${items.map((item) => `<figure>${item}</figure>`).join('')}</div>`;
}

// System fonts only: a report must render offline with no requests.
const STYLE = `
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5b5b66; --line: #d9d9e0; --bg: #ffffff; --panel: #f6f6f9; --accent: #3451b2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans KR", sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 18px 0 8px; color: var(--accent); }
nav ol { columns: 2; margin: 4px 0 16px; }
nav h2 { font-size: 15px; margin: 8px 0 0; }
a { color: var(--accent); }
.intro { color: var(--muted); }
.report-section { border-top: 1px solid var(--line); padding: 20px 0 28px; }
pre.formula, pre.code { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; white-space: pre-wrap; font: 13.5px/1.5 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono", monospace; }
ol.steps li { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13.5px; margin: 2px 0; }
table.data { border-collapse: collapse; margin: 8px 0; font-size: 13.5px; }
table.data th, table.data td { border: 1px solid var(--line); padding: 3px 9px; text-align: left; font-variant-numeric: tabular-nums; }
table.data th { background: var(--panel); }
.figures { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
figure { margin: 0; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; }
.ok { color: #1a7f37; font-weight: 600; }
.bad { color: #cf222e; font-weight: 600; }
dl.explanation dt { font-weight: 600; margin-top: 6px; }
dl.explanation dd { margin: 0 0 4px 0; }
`;
