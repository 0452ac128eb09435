import { stages } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { formatShape, tensor, type Tensor } from '@attograd/tensor';
import type { SweepRow } from '@attograd/gradcheck';
import { graphToMermaid } from '../report/graph-text';
import { graphSvg } from '../report/graph-svg';
import { heatmapSvg } from '../report/heatmap';
import { escapeHtml, formulaBlock, htmlTable, renderPage, type ReportSection } from '../report/html-page';
import { mathBlock, mathStep } from '../report/math-block';
import { sweepChartSvg } from '../report/line-chart';
import { formatNumber } from '../report/number-format';
import { message, type Lang, type MessageKey } from './i18n';
import type { ExplainReport, StageReport } from './model';
import { opFile } from './names';
import { derivationText, displayName, notationLines, opsUsed } from './text';
import { styleFor } from './style';

/** Extra content of the HTML report. */
export interface HtmlExtras {
  /** The step-size sweep of the example, drawn as a log-log chart when given. */
  readonly sweep?: readonly SweepRow[];
  /** More sections, placed before the summary (e.g. the √d_k experiment). */
  readonly sections?: readonly ReportSection[];
  /** A link to the interactive explorer on the same settings, shown in the introduction. */
  readonly explorerHref?: string;
}

/**
 * The explanation as one self-contained HTML page: a section per stage (`section#stage-<key>`,
 * `data-stage="<key>"`) with its explanation, formulas, derivation, heatmaps of the forward values,
 * the upstream gradient and the autograd gradients (each a `figure.tensor` with `data-tensor`,
 * `data-kind` and the heatmap's `[data-cell]` rects), the three-way table; then the recorded graph,
 * the step-size sweep and a summary.
 *
 * @example
 * writeFileSync('explain.html', renderHtml(buildExplanation(sizes), 'en', { sweep: sweepExample(sizes) }));
 */
export function renderHtml(report: ExplainReport, lang: Lang, extras: HtmlExtras = {}): string {
  const t = (key: MessageKey): string => message(lang, key);
  const notationHtml = `<ul class="notation">${notationLines(lang, styleFor(false))
    .filter((line) => line.startsWith('  • '))
    .map((line) => `<li>${escapeHtml(line.slice(4))}</li>`)
    .join('')}</ul>`;
  const sections: ReportSection[] = [
    settingsSection(report, lang),
    { id: 'notation', title: t('notation'), html: notationHtml },
    ...report.stages.map((stage) => stageSection(stage, lang)),
  ];
  const titles = new Map(stages.map((s) => [s.key, s.title[lang]]));
  const stageTitle = (stage: string): string => titles.get(stage) ?? stage;
  sections.push({
    id: 'graph',
    title: t('graph'),
    html: `<p>${escapeHtml(t('graphNote'))}</p>${graphSvg(report.graph, { stageTitle })}<details><summary>Mermaid</summary>${formulaBlock(graphToMermaid(report.graph, { stageTitle }), 'code')}</details>`,
  });
  if (extras.sweep !== undefined) {
    sections.push({
      id: 'sweep',
      title: t('sweep'),
      html: `<p>${escapeHtml(t('sweepNote'))}</p>${sweepChartSvg(extras.sweep, { title: t('sweep'), xLabel: t('sweepAxisX'), yLabel: t('sweepAxisY') })}`,
    });
  }
  sections.push(...(extras.sections ?? []), summarySection(report, lang));
  const explore =
    extras.explorerHref === undefined
      ? ''
      : `<p data-role="explorer-link"><a href="${escapeHtml(extras.explorerHref)}">${lang === 'ko' ? '같은 설정으로 탐색기에서 직접 해 보기 (attograd explore)' : 'Explore the same example interactively (attograd explore)'}</a></p>`;
  return renderPage({
    title: t('reportTitle'),
    lang,
    intro: `<p>${escapeHtml(t('intro'))}</p>${explore}`,
    sections,
    contentsTitle: t('contents'),
  });
}

function settingsSection(report: ExplainReport, lang: Lang): ReportSection {
  const t = (key: MessageKey): string => message(lang, key);
  const { seq, dModel, heads, seed, causal } = report.sizes;
  const rows = [
    [t('settings'), ''],
    [t('seq'), String(seq)],
    [t('dModel'), String(dModel)],
    [t('heads'), String(heads)],
    [t('seed'), String(seed)],
    [t('causal'), causal ? '✓' : '—'],
  ];
  return { id: 'settings', title: t('settings'), html: htmlTable(rows) };
}

/** A heatmap in a `figure.tensor` that says which tensor it shows and in what role. */
function tensorFigure(name: string, kind: 'forward' | 'upstream' | 'gradient' | 'jacobian', value: Tensor, title: string): string {
  const diverging = !(kind === 'forward' && (name === 'P' || name === 'M'));
  return `<figure class="tensor" data-tensor="${escapeHtml(name)}" data-kind="${kind}" data-shape="${value.shape.join(',')}">${heatmapSvg(value, { title, diverging })}</figure>`;
}

function stageSection(report: StageReport, lang: Lang): ReportSection {
  const name = (key: string): string => displayName(report.stage, key);
  const t = (key: MessageKey): string => message(lang, key);
  const { stage } = report;
  const text = stage.explanation[lang];
  const html = [
    `<dl class="explanation"><dt>${escapeHtml(t('what'))}</dt><dd>${escapeHtml(text.what)}</dd><dt>${escapeHtml(t('why'))}</dt><dd>${escapeHtml(text.why)}</dd><dt>${escapeHtml(t('result'))}</dt><dd>${escapeHtml(text.result)}</dd></dl>`,
    `<h3>${escapeHtml(t('shapes'))}</h3>${shapeTable(report, lang, name)}`,
    `<h3>${escapeHtml(t('forward'))}</h3>${mathBlock(stage.forward)}`,
    `<h3>${escapeHtml(t('derivation'))}</h3>${derivationHtml(report, lang)}`,
    `<h3>${escapeHtml(t('backward'))}</h3>${mathBlock(Object.entries(stage.backward).map(([input, formula]) => `${name(input)}: ${formula}`))}`,
    stage.notes === undefined ? '' : `<ul class="notes">${stage.notes[lang].map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`,
    jacobianHtml(report, lang),
    `<h3>${escapeHtml(t('numbers'))}</h3>${numbersHtml(report, lang, name)}`,
  ].join('\n');
  return {
    id: `stage-${stage.key}`,
    title: `${t('stage')} ${stage.id} · ${stage.title[lang]}`,
    html,
    data: { stage: stage.key, 'stage-id': String(stage.id) },
  };
}

function shapeTable(report: StageReport, lang: Lang, display: (key: string) => string): string {
  const t = (key: MessageKey): string => message(lang, key);
  const rows = [[t('tensorColumn'), t('roleColumn'), t('shapeColumn')]];
  for (const [name, value] of Object.entries(report.inputs)) {
    rows.push([display(name), report.stage.inputNames.includes(name) ? t('roleInput') : t('roleConstant'), formatShape(value.shape)]);
  }
  for (const [name, value] of report.outputs) rows.push([display(name), t('roleOutput'), formatShape(value.shape)]);
  return htmlTable(rows);
}

function derivationHtml(report: StageReport, lang: Lang): string {
  return opsUsed(report)
    .map((op) => {
      const derivation = derivations[op];
      const text = derivationText(derivation, lang);
      const symbols = report.stage.opSymbols?.[op];
      const header = `<p>${escapeHtml(message(lang, 'fromOp'))} <code>${escapeHtml(op)}</code> (<code>${escapeHtml(opFile(op))}</code>, ${escapeHtml(message(lang, derivation.kind))}) — ${escapeHtml(message(lang, 'opDefinition'))}: <code>${escapeHtml(text.definition)}</code></p>`;
      const mapping =
        symbols === undefined ? '' : `<p>${escapeHtml(message(lang, 'opSymbols'))}: <code>${escapeHtml(symbols[lang])}</code></p>`;
      const steps = `<ol class="steps">${text.steps.map((step) => `<li>${mathStep(step)}</li>`).join('')}</ol>`;
      const result = mathBlock(Object.entries(derivation.backward).map(([input, formula]) => `${input}: ${formula}`));
      const notes = text.notes.map((note) => `<p>${escapeHtml(message(lang, 'opNotes'))}: ${escapeHtml(note)}</p>`).join('');
      return `<div class="op-derivation" data-op="${escapeHtml(op)}">${header}${mapping}${steps}${result}${notes}<p>${escapeHtml(message(lang, 'opSaves'))}: ${escapeHtml(text.saves)}</p></div>`;
    })
    .concat(
      report.stage.steps === undefined
        ? []
        : [
            `<p>${escapeHtml(message(lang, 'stageSteps'))}:</p><ol class="steps">${report.stage.steps[lang].map((step) => `<li>${mathStep(step)}</li>`).join('')}</ol>`,
          ],
    )
    .join('\n');
}

function jacobianHtml(report: StageReport, lang: Lang): string {
  const jacobian = report.jacobian;
  if (jacobian === undefined) return '';
  const t = (key: MessageKey): string => message(lang, key);
  const figure = tensorFigure(
    'J',
    'jacobian',
    tensor(jacobian.jacobian.map((row) => [...row])),
    `J = diag(p) − p pᵀ (${t('jacobianRow')} ${jacobian.row})`,
  );
  const numbers = (values: readonly number[]): string => values.map((v) => formatNumber(v)).join('  ');
  const table = htmlTable([
    ['', `${t('jacobianRow')} ${jacobian.row}`],
    ['p', numbers(jacobian.p)],
    ['dP', numbers(jacobian.dP)],
    ['J·dP', numbers(jacobian.jacobianTimesDP)],
    [`dŜ (${t('manual')})`, numbers(jacobian.dSHat)],
    [t('jacobianCheck'), formatNumber(jacobian.maxAbs, 2)],
  ]);
  return `<h3>${escapeHtml(t('jacobian'))}</h3><p>${escapeHtml(t('jacobianNote'))}</p><div class="figures">${figure}${table}</div>`;
}

function numbersHtml(report: StageReport, lang: Lang, display: (key: string) => string): string {
  const t = (key: MessageKey): string => message(lang, key);
  const gradient = (key: string): string => `d${display(key)}`;
  const forward = [
    ...Object.entries(report.inputs)
      .filter(([name]) => name !== 'dK')
      .map(([name, value]) => tensorFigure(display(name), 'forward', value, display(name))),
    ...report.outputs.map(([name, value]) => tensorFigure(display(name), 'forward', value, display(name))),
  ];
  const upstream = report.dOutputs.map(([name, value]) => tensorFigure(gradient(name), 'upstream', value, gradient(name)));
  const grads = report.gradients.map((g) =>
    tensorFigure(gradient(g.name), 'gradient', g.autograd, `${gradient(g.name)} (${t('autograd')})`),
  );
  const verdict = report.agree
    ? `<span class="ok">✓ ${escapeHtml(t('agree'))}</span>`
    : `<span class="bad">✗ ${escapeHtml(t('disagree'))}</span>`;
  return [
    `<h4>${escapeHtml(t('forwardValues'))}</h4><div class="figures">${forward.join('')}</div>`,
    `<h4>${escapeHtml(t('upstream'))}</h4><p>${escapeHtml(t('upstreamNote'))}</p><div class="figures">${upstream.join('')}</div>`,
    `<h4>${escapeHtml(t('threeWays'))}</h4><div class="figures">${grads.join('')}</div>`,
    threeWayTable(report, lang, gradient),
    `<p class="verdict">${escapeHtml(t('largestDifference'))}: ${formatNumber(report.largest.maxAbs, 2)}; ${escapeHtml(t('relative'))}: ${formatNumber(report.largest.relative, 2)} (${escapeHtml(t(report.agree ? 'withinTolerance' : 'beyondTolerance'))}) ${verdict}</p>`,
  ].join('\n');
}

function threeWayTable(report: StageReport, lang: Lang, gradient: (key: string) => string): string {
  const t = (key: MessageKey): string => message(lang, key);
  const rows = [
    [
      t('gradientOf'),
      t('shapeColumn'),
      `${t('largestDifference')}: ${t('manual')} ↔ ${t('autograd')}`,
      `${t('manual')} ↔ ${t('numeric')}`,
      `${t('autograd')} ↔ ${t('numeric')}`,
    ],
  ];
  for (const g of report.gradients) {
    rows.push([
      gradient(g.name),
      formatShape(g.shape),
      formatNumber(g.manualVsAutograd.maxAbs, 2),
      formatNumber(g.manualVsNumeric.maxAbs, 2),
      formatNumber(g.autogradVsNumeric.maxAbs, 2),
    ]);
  }
  return htmlTable(rows, 'data three-way');
}

function summarySection(report: ExplainReport, lang: Lang): ReportSection {
  const t = (key: MessageKey): string => message(lang, key);
  const verdict = report.stages.every((s) => s.agree)
    ? `<span class="ok">✓ ${escapeHtml(t('agree'))}</span>`
    : `<span class="bad">✗ ${escapeHtml(t('disagree'))}</span>`;
  const rows = [
    [t('stage'), t('largestDifference'), t('relative')],
    ...report.stages.map((s) => [
      `${s.stage.id} · ${s.stage.title[lang]}`,
      formatNumber(s.largest.maxAbs, 2),
      formatNumber(s.largest.relative, 2),
    ]),
  ];
  return {
    id: 'summary',
    title: t('summary'),
    html: `${htmlTable(rows)}<p>${report.stages.length} ${escapeHtml(t('summaryAll'))}: ${formatNumber(report.largestRelative, 2)} ${verdict}</p>`,
  };
}
