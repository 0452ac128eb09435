import { stageByKey } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { formatShape, Tensor } from '@attograd/tensor';
import { heatmapSvg } from '../report/heatmap';
import { escapeHtml, formulaBlock, htmlTable, renderPage, type ReportSection } from '../report/html-page';
import { formatNumber } from '../report/number-format';
import { message, type Lang, type MessageKey } from './i18n';
import { opDerivationLines } from './text';
import { styleFor } from './style';
import type { LinkReport, TopicReport } from './training-text';

/**
 * A training topic as one self-contained HTML page: the records, then a section per link
 * (`section#link-<key>`, `data-link="<key>"`) with its local rule, heatmaps of dOut and of the
 * autograd gradients, and the three-way table; then the chain checks and a summary.
 *
 * @example
 * writeFileSync('gpt.html', renderTopicHtml(buildTopicReport(topicByArgument('gpt')!, sizes), 'en'));
 */
export function renderTopicHtml(report: TopicReport, lang: Lang): string {
  const t = (key: MessageKey): string => message(lang, key);
  const { topic } = report;
  const sections: ReportSection[] = [];
  if (topic.ops.length > 0) {
    const lines = topic.ops.flatMap((op) => opDerivationLines(op, lang, styleFor(false)));
    sections.push({ id: 'derivation', title: t('derivation'), html: formulaBlock(lines) });
  }
  report.links.forEach((link, i) => sections.push(linkSection(link, i + 1, lang)));
  if (report.checks.length > 0) {
    const rows = [
      [t('chainChecks'), t('largestDifference'), t('relative')],
      ...report.checks.map((c) => [c.label[lang], formatNumber(c.difference.maxAbs, 2), formatNumber(c.difference.relative, 2)]),
    ];
    sections.push({ id: 'chain', title: t('chainChecks'), html: htmlTable(rows) });
  }
  const verdict = report.agree
    ? `<span class="ok">✓ ${escapeHtml(t('agree'))}</span>`
    : `<span class="bad">✗ ${escapeHtml(t('disagree'))}</span>`;
  sections.push({
    id: 'summary',
    title: t('summary'),
    html: `<p>${report.links.length} ${escapeHtml(t('linksExplained'))}: ${formatNumber(report.largestRelative, 2)} ${verdict}</p>`,
  });
  const facts = report.facts.map(([name, value]) => `${name} = ${value}`);
  return renderPage({
    title: topic.title[lang],
    lang,
    intro: `<p>${escapeHtml(topic.intro[lang])}</p>${formulaBlock(facts)}`,
    sections,
    contentsTitle: t('contents'),
  });
}

function figure(name: string, kind: 'upstream' | 'gradient', value: Tensor): string {
  return `<figure class="tensor" data-tensor="${escapeHtml(name)}" data-kind="${kind}" data-shape="${value.shape.join(',')}">${heatmapSvg(value.rank === 0 ? new Tensor(value.data, [1, 1]) : value, { title: name, diverging: true })}</figure>`;
}

function linkSection(report: LinkReport, index: number, lang: Lang): ReportSection {
  const t = (key: MessageKey): string => message(lang, key);
  const { link } = report.example;
  const name = (key: string): string => link.display[key] ?? key;
  const rules = [
    ...[...new Set(link.ops)].flatMap((op) =>
      Object.entries(derivations[op].backward).map(([input, formula]) => `${op} ⇒ ${input}: ${formula}`),
    ),
    ...(link.stages ?? []).flatMap((key) => Object.values(stageByKey(key).backward)),
  ];
  const rows = [
    [
      t('gradientOf'),
      t('shapeColumn'),
      `${t('manual')} ↔ ${t('autograd')}`,
      `${t('manual')} ↔ ${t('numeric')}`,
      `${t('autograd')} ↔ ${t('numeric')}`,
    ],
    ...report.gradients.map((g) => [
      `d${name(g.name)}`,
      formatShape(g.shape),
      formatNumber(g.manualVsAutograd.maxAbs, 2),
      formatNumber(g.manualVsNumeric.maxAbs, 2),
      formatNumber(g.autogradVsNumeric.maxAbs, 2),
    ]),
  ];
  const figures = [
    figure(`d${name('out')}`, 'upstream', report.dOut),
    ...report.gradients.map((g) => figure(`d${name(g.name)}`, 'gradient', g.autograd)),
  ];
  const html = [
    `<p>${escapeHtml(link.what[lang])}</p>`,
    `<h3>${escapeHtml(t('localRule'))}</h3>${formulaBlock(rules)}`,
    `<h3>${escapeHtml(t('threeWays'))}</h3><div class="figures">${figures.join('')}</div>`,
    htmlTable(rows, 'data three-way'),
  ].join('\n');
  return { id: `link-${link.key}`, title: `${t('link')} ${index} · ${link.title[lang]}`, html, data: { link: link.key } };
}
