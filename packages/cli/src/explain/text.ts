import { derivations } from '@attograd/ops';
import { formatShape, tensor, type Tensor } from '@attograd/tensor';
import { formatNumber } from '../report/number-format';
import { AGREEMENT_TOLERANCE } from './compare';
import { message, type Lang } from './i18n';
import { matrixLines, rowText } from './matrix-text';
import type { ExplainReport, StageReport } from './model';
import { displayName, gradientName, opFile } from './names';
import type { Style } from './style';

/**
 * The terminal rendering of an explanation: per stage its what / why / result, shapes, forward
 * formula, the chain-rule steps of its ops (from @attograd/ops `derivations`), the backward formulas,
 * the softmax row Jacobian, and the numbers with the gradient three ways.
 *
 * @example
 * process.stdout.write(renderText(buildExplanation(sizes), 'en', styleFor(false)));
 */
export function renderText(report: ExplainReport, lang: Lang, style: Style): string {
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const { seq, dModel, heads, seed, causal } = report.sizes;
  const lines = [
    style.heading(t('reportTitle')),
    `${t('settings')}: ${t('seq')} = ${seq}, ${t('dModel')} = ${dModel}, ${t('heads')} = ${heads}, ${t('seed')} = ${seed}${causal ? `, ${t('causal')}` : ''}`,
    '',
  ];
  for (const stage of report.stages) lines.push(...stageLines(stage, lang, style), '');
  const verdict = report.stages.every((s) => s.agree) ? style.ok(`✓ ${t('agree')}`) : style.bad(`✗ ${t('disagree')}`);
  lines.push(
    style.heading(t('summary')),
    `${report.stages.length} ${t('summaryAll')}: ${formatNumber(report.largestRelative, 2)} (${t('tolerance')} ${AGREEMENT_TOLERANCE.toExponential(0)}) ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Everything about one stage, as lines.
 *
 * @example
 * stageLines(report.stages[3], 'ko', styleFor(false)).join('\n')
 */
export function stageLines(report: StageReport, lang: Lang, style: Style): string[] {
  const { stage } = report;
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const text = stage.explanation[lang];
  return [
    style.heading(`━━ ${t('stage')} ${stage.id} · ${stage.title[lang]} ━━`),
    `${style.label(`${t('what')}:`)} ${text.what}`,
    `${style.label(`${t('why')}:`)} ${text.why}`,
    `${style.label(`${t('result')}:`)} ${text.result}`,
    '',
    style.label(t('shapes')),
    ...shapeLines(report, lang),
    '',
    style.label(t('forward')),
    `  ${style.formula(stage.forward)}`,
    '',
    ...derivationLines(report, lang, style),
    style.label(t('backward')),
    ...Object.entries(stage.backward).map(([name, formula]) => `  ${displayName(name)}: ${style.formula(formula)}`),
    '',
    ...jacobianLines(report, lang, style),
    ...numberLines(report, lang, style),
  ];
}

function shapeLines(report: StageReport, lang: Lang): string[] {
  const rows: [string, string, string][] = [];
  for (const [name, value] of Object.entries(report.inputs)) {
    const role = report.stage.inputNames.includes(name) ? message(lang, 'roleInput') : message(lang, 'roleConstant');
    rows.push([displayName(name), role, formatShape(value.shape)]);
  }
  for (const [name, value] of report.outputs) rows.push([displayName(name), message(lang, 'roleOutput'), formatShape(value.shape)]);
  const width = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map(([name, role, shape]) => `  ${name.padEnd(width[0])}  ${role.padEnd(width[1])}  ${shape}`);
}

/**
 * The ops a stage uses on this example (`where` only when a mask is present).
 *
 * @example
 * opsUsed(softmaxReport) // ['softmax'], or ['where', 'softmax'] with --causal
 */
export function opsUsed(report: StageReport): string[] {
  return report.stage.ops.filter((op) => op !== 'where' || report.inputs.mask !== undefined);
}

function derivationLines(report: StageReport, lang: Lang, style: Style): string[] {
  const lines = [style.label(message(lang, 'derivation'))];
  for (const op of opsUsed(report)) {
    const derivation = derivations[op];
    lines.push(`  ${message(lang, 'fromOp')} ${style.label(op)} (${opFile(op)}), ${message(lang, derivation.kind)}`);
    lines.push(`    ${message(lang, 'opDefinition')}: ${derivation.definition}`);
    derivation.steps.forEach((step, i) => lines.push(`    ${i + 1}. ${step}`));
    for (const [input, formula] of Object.entries(derivation.backward)) lines.push(`    ⇒ ${input}: ${style.formula(formula)}`);
    lines.push(`    ${message(lang, 'opSaves')}: ${derivation.saves}`);
  }
  return [...lines, ''];
}

function jacobianLines(report: StageReport, lang: Lang, style: Style): string[] {
  const jacobian = report.jacobian;
  if (jacobian === undefined) return [];
  const matrix = matrixLines(tensor(jacobian.jacobian.map((row) => [...row]))).map((line) => `    ${line}`);
  return [
    style.label(`${message(lang, 'jacobian')} (${message(lang, 'jacobianRow')} ${jacobian.row})`),
    `  p = ${rowText(jacobian.p)}`,
    `  ${message(lang, 'jacobianNote')}`,
    '  J =',
    ...matrix,
    `  dP(${jacobian.row})   = ${rowText(jacobian.dP)}`,
    `  J·dP(${jacobian.row}) = ${rowText(jacobian.jacobianTimesDP)}`,
    `  dŜ(${jacobian.row})   = ${rowText(jacobian.dSHat)}  (${message(lang, 'manual')})`,
    `  ${message(lang, 'jacobianCheck')}: ${formatNumber(jacobian.maxAbs, 2)}`,
    '',
  ];
}

function tensorBlock(name: string, value: Tensor): string[] {
  return [`  ${name} ${formatShape(value.shape)} =`, ...matrixLines(value).map((line) => `    ${line}`)];
}

function numberLines(report: StageReport, lang: Lang, style: Style): string[] {
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const lines = [style.label(t('numbers')), style.label(`${t('forwardValues')}:`)];
  for (const [name, value] of Object.entries(report.inputs)) lines.push(...tensorBlock(displayName(name), value));
  for (const [name, value] of report.outputs) lines.push(...tensorBlock(displayName(name), value));
  lines.push(style.label(`${t('upstream')}:`), `  ${style.dim(t('upstreamNote'))}`);
  for (const [name, value] of report.dOutputs) lines.push(...tensorBlock(gradientName(name), value));
  lines.push(style.label(`${t('threeWays')}:`));
  for (const comparison of report.gradients) {
    const name = gradientName(comparison.name);
    lines.push(...tensorBlock(`${name} (${t('manual')})`, comparison.manual));
    lines.push(...tensorBlock(`${name} (${t('autograd')})`, comparison.autograd));
    lines.push(...tensorBlock(`${name} (${t('numeric')})`, comparison.numeric));
    lines.push(
      `  ${name} ${t('largestDifference')}: ${t('manual')}↔${t('autograd')} ${formatNumber(comparison.manualVsAutograd.maxAbs, 2)}, ` +
        `${t('manual')}↔${t('numeric')} ${formatNumber(comparison.manualVsNumeric.maxAbs, 2)}, ` +
        `${t('autograd')}↔${t('numeric')} ${formatNumber(comparison.autogradVsNumeric.maxAbs, 2)}`,
    );
  }
  const verdict = report.agree ? style.ok(`✓ ${t('agree')}`) : style.bad(`✗ ${t('disagree')}`);
  lines.push(`  ${t('largestDifference')}: ${formatNumber(report.largest.maxAbs, 2)} (${t('relative')} ${formatNumber(report.largest.relative, 2)}) ${verdict}`);
  return lines;
}
