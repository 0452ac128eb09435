import { conventions, notation, type Stage } from '@attograd/attention';
import { derivations, type Derivation } from '@attograd/ops';
import { formatShape, tensor, type Tensor } from '@attograd/tensor';
import { formatNumber } from '../report/number-format';
import { AGREEMENT_TOLERANCE, type StageComparison } from './three-way-check';
import { message, type Lang } from './i18n';
import { matrixLines, rowText } from './matrix-text';
import type { ExplainReport, StageReport } from './model';
import { opFile } from './names';
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
    `${t('settings')}: ${t('seq')} = ${seq}, ${t('dModel')} = ${dModel}, ${t('heads')} n_h = ${heads}, ${t('seed')} = ${seed}${causal ? `, ${t('causal')}` : ''}`,
    '',
    ...notationLines(lang, style),
  ];
  const dK = dModel / heads;
  for (const stage of report.stages) {
    if (stage.stage.key === 'outputProjection') {
      lines.push(
        style.dim(`${t('headMerge')}: ${Object.values(stage.stage.backward).join(', ')}.`),
        `  Z_heads [${heads}, ${seq}, ${dK}] → concat_h(Z_h) [${seq}, ${dModel}] → Z = concat_h(Z_h)·W_o [${seq}, ${dModel}]`,
        '',
      );
    }
    lines.push(...stageLines(stage, lang, style), '');
    if (stage.stage.key === 'projection') {
      lines.push(
        style.dim(`${t('headSplit')}.`),
        `  Q, K, V [${seq}, ${dModel}] → Q_heads, K_heads, V_heads [${heads}, ${seq}, ${dK}]  (n_h = ${heads}, d_k = ${dK})`,
        '',
      );
    }
  }
  const agree = report.stages.every((s) => s.agree);
  const verdict = agree ? style.ok(`✓ ${t('agree')}`) : style.bad(`✗ ${t('disagree')}`);
  lines.push(
    style.heading(t('summary')),
    `${report.stages.length} ${t('summaryAll')}: ${formatNumber(report.largestRelative, 2)} (${t(agree ? 'withinTolerance' : 'beyondTolerance')}) ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The notation, the conventions and the one tolerance, printed once at the top (from the
 * attention package's `notation` and `conventions` records).
 *
 * @example
 * notationLines('ko', styleFor(false))[0] // '표기법'
 */
export function notationLines(lang: Lang, style: Style): string[] {
  return [
    style.heading(message(lang, 'notation')),
    ...notation.map((entry) => `  • ${entry[lang]}`),
    `  • ${message(lang, 'toleranceStatement')}: ${AGREEMENT_TOLERANCE.toExponential(0)}.`,
    style.heading(message(lang, 'conventions')),
    ...conventions.map((convention) => `  • ${convention[lang]}`),
    '',
  ];
}

/**
 * A stage's tensor name as the registry entry prints it (stage 0's Q is [T, d]; stages 1 and 4
 * take the per-head Q_heads, K_heads, V_heads [n_h, T, d_k] and make Z_heads).
 *
 * @example
 * displayName(stageByKey('scores'), 'q') // 'Q_heads'
 */
export function displayName(stage: Stage, name: string): string {
  return stage.display[name] ?? name;
}

/** The gradient's name as the stage's backward formula writes it (`dX_res`, `dX_qkv`), else d + the display name. */
function stageGradientName(stage: Stage, name: string): string {
  const formula = stage.backward[name];
  const written = formula?.slice(0, formula.indexOf(' = '));
  const plain = `d${displayName(stage, name)}`;
  return written !== undefined && written.startsWith(plain) && /^d\S+$/.test(written) ? written : plain;
}

/**
 * Everything about one stage, as lines.
 *
 * @example
 * stageLines(report.stages.find((s) => s.stage.key === 'softmax')!, 'ko', styleFor(false)).join('\n')
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
    ...Object.entries(stage.backward).map(([name, formula]) => `  ${displayName(stage, name)}: ${style.formula(formula)}`),
    ...(stage.notes === undefined ? [] : [style.label(t('notes')), ...stage.notes[lang].map((note) => `  • ${note}`)]),
    '',
    ...jacobianLines(report, lang, style),
    ...numberLines(report, lang, style),
  ];
}

function shapeLines(report: StageReport, lang: Lang): string[] {
  const rows: [string, string, string][] = [];
  const { stage } = report;
  for (const [name, value] of Object.entries(report.inputs)) {
    const role = stage.inputNames.includes(name) ? message(lang, 'roleInput') : message(lang, 'roleConstant');
    rows.push([displayName(stage, name), role, formatShape(value.shape)]);
  }
  for (const [name, value] of report.outputs) rows.push([displayName(stage, name), message(lang, 'roleOutput'), formatShape(value.shape)]);
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

/**
 * The prose of an op's derivation in `lang` (its formulas are shared by the languages).
 *
 * @example
 * derivationText(derivations.softmax, 'ko').steps[2]
 */
export function derivationText(
  derivation: Derivation,
  lang: Lang,
): { definition: string; steps: readonly string[]; saves: string; notes: readonly string[] } {
  const text = lang === 'ko' ? derivation.ko : derivation;
  return { definition: text.definition, steps: text.steps, saves: text.saves, notes: text.notes ?? [] };
}

function derivationLines(report: StageReport, lang: Lang, style: Style): string[] {
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const { stage } = report;
  const lines = [style.label(t('derivation'))];
  for (const op of opsUsed(report)) lines.push(...opDerivationLines(op, lang, style, stage.opSymbols?.[op]?.[lang]));
  if (stage.steps !== undefined) {
    lines.push(`  ${t('stageSteps')}:`);
    stage.steps[lang].forEach((step, i) => lines.push(`    ${i + 1}. ${step}`));
  }
  return [...lines, ''];
}

/**
 * An op's derivation record as lines: definition, the symbol map of where it is used, the steps,
 * the backward formulas, notes and what it saves (from @attograd/ops `derivations`).
 *
 * @example
 * opDerivationLines('crossEntropy', 'ko', styleFor(false)).join('\n')
 */
export function opDerivationLines(op: string, lang: Lang, style: Style, symbols?: string): string[] {
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const derivation = derivations[op];
  const text = derivationText(derivation, lang);
  return [
    `  ${t('fromOp')} ${style.label(op)} (${opFile(op)}), ${t(derivation.kind)}`,
    `    ${t('opDefinition')}: ${text.definition}`,
    ...(symbols === undefined ? [] : [`    ${t('opSymbols')}: ${symbols}`]),
    ...text.steps.map((step, i) => `    ${i + 1}. ${step}`),
    ...backwardLines(op, style),
    ...text.notes.map((note) => `    ${t('opNotes')}: ${note}`),
    `    ${t('opSaves')}: ${text.saves}`,
  ];
}

/**
 * An op's backward formulas, one `⇒ input: formula` line each, as its record states them.
 *
 * @example
 * backwardLines('matmul', styleFor(false)) // ['    ⇒ a: dA = dC·Bᵀ', '    ⇒ b: dB = Aᵀ·dC']
 */
export function backwardLines(op: string, style: Style): string[] {
  return Object.entries(derivations[op].backward).map(([input, formula]) => `    ⇒ ${input}: ${style.formula(formula)}`);
}

function jacobianLines(report: StageReport, lang: Lang, style: Style): string[] {
  const jacobian = report.jacobian;
  if (jacobian === undefined) return [];
  const matrix = matrixLines(tensor(jacobian.jacobian.map((row) => [...row]))).map((line) => `    ${line}`);
  return [
    style.label(`${message(lang, 'jacobian')} (${message(lang, 'jacobianRow')} ${jacobian.row}: ${message(lang, 'jacobianWhich')})`),
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

/** A named tensor as an indented matrix. */
export function tensorBlock(name: string, value: Tensor): string[] {
  return [`  ${name} ${formatShape(value.shape)} =`, ...matrixLines(value).map((line) => `    ${line}`)];
}

/**
 * The gradient of every input three ways (hand-derived, autograd, finite differences) with their
 * pairwise largest absolute differences, then the overall verdict.
 *
 * @example
 * threeWayLines(stageReport, (name) => `d${name}`, 'en', styleFor(false))
 */
export function threeWayLines(
  comparison: Pick<StageComparison, 'gradients' | 'largest' | 'agree'>,
  gradientName: (input: string) => string,
  lang: Lang,
  style: Style,
): string[] {
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const lines = [style.label(`${t('threeWays')}:`)];
  for (const g of comparison.gradients) {
    const name = gradientName(g.name);
    lines.push(...tensorBlock(`${name} (${t('manual')})`, g.manual));
    lines.push(...tensorBlock(`${name} (${t('autograd')})`, g.autograd));
    lines.push(...tensorBlock(`${name} (${t('numeric')})`, g.numeric));
    lines.push(
      `  ${name} ${t('largestDifference')}: ${t('manual')}↔${t('autograd')} ${formatNumber(g.manualVsAutograd.maxAbs, 2)}, ` +
        `${t('manual')}↔${t('numeric')} ${formatNumber(g.manualVsNumeric.maxAbs, 2)}, ` +
        `${t('autograd')}↔${t('numeric')} ${formatNumber(g.autogradVsNumeric.maxAbs, 2)}`,
    );
  }
  const verdict = comparison.agree ? style.ok(`✓ ${t('agree')}`) : style.bad(`✗ ${t('disagree')}`);
  lines.push(
    `  ${t('largestDifference')}: ${formatNumber(comparison.largest.maxAbs, 2)}; ${t('relative')}: ${formatNumber(comparison.largest.relative, 2)} ${verdict}`,
  );
  return lines;
}

function numberLines(report: StageReport, lang: Lang, style: Style): string[] {
  const t = (key: Parameters<typeof message>[1]): string => message(lang, key);
  const { stage } = report;
  const lines = [style.label(t('numbers')), style.label(`${t('forwardValues')}:`)];
  for (const [name, value] of Object.entries(report.inputs)) lines.push(...tensorBlock(displayName(stage, name), value));
  for (const [name, value] of report.outputs) lines.push(...tensorBlock(displayName(stage, name), value));
  lines.push(style.label(`${t('upstream')}:`), `  ${style.dim(t('upstreamNote'))}`);
  for (const [name, value] of report.dOutputs) lines.push(...tensorBlock(`d${displayName(stage, name)}`, value));
  lines.push(...threeWayLines(report, (name) => stageGradientName(stage, name), lang, style));
  return lines;
}
