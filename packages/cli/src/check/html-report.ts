import { formatShape } from '@attograd/tensor';
import { escapeHtml, figureRow, heatmapSvg, htmlTable, renderPage, sweepChartSvg, type ReportSection } from '../report';
import { checkLabel, elementName, failureText, formatError, formatSeconds, formatSummary, formatValue } from './table';
import type { CheckResult, RunReport } from './types';
import pc from 'picocolors';

/**
 * `attograd check --html FILE`: one self-contained page (the report pieces shared with
 * `attograd explain`): the summary, every check in a table, each failing or vacuous check with
 * the heatmap of analytic − numeric over its Jacobian block, and the step-size sweeps drawn.
 */

const TABLE_HEADER = [
  'check',
  'kind',
  'input',
  'shape',
  'max abs err',
  'max rel err',
  'worst element',
  'analytic',
  'numeric',
  'time',
  'status',
];

function tableRows(results: readonly CheckResult[]): string[][] {
  return results.flatMap((result) => {
    if (result.inputs.length === 0) {
      return [
        [
          checkLabel(result),
          result.kind,
          '—',
          '—',
          '—',
          '—',
          result.message ?? '—',
          '—',
          '—',
          formatSeconds(result.seconds),
          result.status.toUpperCase(),
        ],
      ];
    }
    return result.inputs.map((input) => {
      const values = input.worst ?? input.directional;
      return [
        checkLabel(result),
        result.kind,
        input.name,
        formatShape(input.shape),
        formatError(input.maxAbsError),
        formatError(input.maxRelError),
        elementName(input),
        values ? formatValue(values.analytic) : '—',
        values ? formatValue(values.numeric) : '—',
        formatSeconds(result.seconds),
        input.status.toUpperCase(),
      ];
    });
  });
}

/** The section of one check that did not pass. */
function problemSection(result: CheckResult, index: number): ReportSection {
  const parts: string[] = [];
  if (result.message !== undefined) parts.push(`<p>${escapeHtml(result.message)}</p>`);
  for (const input of result.inputs) {
    if (input.status === 'fail') parts.push(`<p class="failure">${escapeHtml(failureText(input))}</p>`);
    if (input.status === 'vacuous')
      parts.push(
        `<p class="vacuous">Input ${escapeHtml(input.name)} is vacuous (not a pass): ${escapeHtml(input.vacuousReason ?? '')}</p>`,
      );
  }
  const stage = result.firstFailingStage;
  if (stage !== undefined) {
    parts.push(
      `<p>${escapeHtml(stage.stage === null ? 'Every stage passes alone: the error is in how they are composed.' : `The first stage that fails is ${stage.stage}.`)}</p>`,
    );
  }
  const maps = result.inputs.flatMap((input) =>
    input.errorMatrix === undefined
      ? []
      : [
          heatmapSvg(input.errorMatrix, {
            title: `analytic − numeric, d out / d ${input.name} (rows: output elements, columns: ${input.name} elements)`,
            diverging: true,
          }),
        ],
  );
  if (maps.length > 0) parts.push(figureRow(maps));
  if (result.warnings.length > 0) parts.push(`<ul>${result.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`);
  return {
    id: `problem-${index}`,
    title: `${result.status.toUpperCase()}: ${checkLabel(result)}`,
    html: parts.join('\n'),
    data: { check: result.name, status: result.status },
  };
}

/**
 * The whole report page.
 *
 * @example
 * writeFileSync('check.html', toHtml(report));
 */
export function toHtml(report: RunReport): string {
  const summary = formatSummary(report, pc.createColors(false));
  const sections: ReportSection[] = [{ id: 'checks', title: 'Every check', html: htmlTable([TABLE_HEADER, ...tableRows(report.results)]) }];
  report.results.forEach((result, i) => {
    if (result.status !== 'pass' && result.status !== 'skip') sections.push(problemSection(result, i));
  });
  const sweeps = report.results.filter((r) => r.sweep !== undefined);
  if (sweeps.length > 0) {
    const charts = sweeps.map((r) => sweepChartSvg(r.sweep ?? [], { title: `${checkLabel(r)}: error vs step` }));
    sections.push({
      id: 'sweep',
      title: 'Step-size sweep',
      html: `<p>${escapeHtml('Large steps suffer truncation error, small ones round-off: each curve is a V whose bottom is the best step.')}</p>${figureRow(charts)}`,
    });
  }
  const { settings } = report;
  const intro = `<p>${escapeHtml(summary)}</p><p>${escapeHtml(
    `mode ${settings.mode}, stencil ${settings.stencil}, seed ${settings.seed}, sizes: seq ${settings.sizes.seq}, dmodel ${settings.sizes.dModel}, heads ${settings.sizes.heads}` +
      (settings.sizes.batch === undefined ? '' : `, batch ${settings.sizes.batch}`),
  )}</p>`;
  return renderPage({ title: 'attograd check', lang: 'en', intro, sections });
}
