import { stageByKey } from '@attograd/attention';
import { largestDifference } from '@attograd/gradcheck';
import { formatShape } from '@attograd/tensor';
import { formatNumber } from '../report/number-format';
import type { ExampleSizes } from './example';
import { message, type Lang, type MessageKey } from './i18n';
import type { Style } from './style';
import { backwardLines, opDerivationLines, tensorBlock, threeWayLines } from './text';
import { AGREEMENT_TOLERANCE, compareStage, type StageComparison } from './three-way-check';
import type { ChainCheck, LinkExample, Topic } from './training-topics';

/** One link explained: its example and its gradients three ways. */
export interface LinkReport extends StageComparison {
  readonly example: LinkExample;
}

/** A training topic explained on its seeded example. */
export interface TopicReport {
  readonly topic: Topic;
  readonly sizes: ExampleSizes;
  readonly links: readonly LinkReport[];
  readonly checks: readonly ChainCheck[];
  readonly facts: ReadonlyArray<readonly [string, string]>;
  /** Every link's three gradients and every chain check within AGREEMENT_TOLERANCE (relative). */
  readonly agree: boolean;
  /** The largest relative difference of any link or check. */
  readonly largestRelative: number;
}

/**
 * Runs a topic's example and compares every link's gradients three ways (`compareStage`).
 *
 * @example
 * buildTopicReport(topicByArgument('gelu')!, sizes).links[0].largest.relative // ~1e-10
 */
export function buildTopicReport(topic: Topic, sizes: ExampleSizes): TopicReport {
  const example = topic.build(sizes);
  const links = example.links.map((link) => ({ ...compareStage(link.link, link.inputs, link.dOut), example: link }));
  // NaN wins: one NaN comparison makes the verdict NaN.
  const largestRelative = largestDifference([...links.map((l) => l.largest), ...example.checks.map((c) => c.difference)]).relative;
  const agree = Number.isFinite(largestRelative) && largestRelative <= AGREEMENT_TOLERANCE;
  return { topic, sizes, links, checks: example.checks, facts: example.facts, agree, largestRelative };
}

/**
 * The terminal rendering of a training topic: its records in full, then every link with its
 * shapes, its local rule (the records' backward formulas, or the attention registry's stages), the
 * values that show the rule, dOut and the gradient three ways; then the chain checks and a verdict.
 *
 * @example
 * process.stdout.write(renderTopicText(buildTopicReport(topic, sizes), 'ko', styleFor(false)));
 */
export function renderTopicText(report: TopicReport, lang: Lang, style: Style): string {
  const t = (key: MessageKey): string => message(lang, key);
  const { topic, sizes } = report;
  const lines = [
    style.heading(`━━ ${topic.title[lang]} ━━`),
    `${t('settings')}: ${t('seed')} = ${sizes.seed}${topic.key === 'gpt' ? `, ${t('seq')} = ${sizes.seq}, ${t('dModel')} = ${sizes.dModel}, ${t('heads')} n_h = ${sizes.heads}` : ''}`,
    `  • ${t('toleranceStatement')}: ${AGREEMENT_TOLERANCE.toExponential(0)}.`,
    '',
    topic.intro[lang],
    '',
    ...report.facts.map(([name, value]) => `  ${name} = ${value}`),
    '',
  ];
  if (topic.ops.length > 0) {
    lines.push(style.label(t('derivation')));
    for (const op of topic.ops) lines.push(...opDerivationLines(op, lang, style));
    lines.push('');
  }
  report.links.forEach((link, i) => lines.push(...linkLines(link, i + 1, topic.key !== 'gpt', lang, style), ''));
  if (report.checks.length > 0) {
    lines.push(style.heading(t('chainChecks')));
    for (const check of report.checks) {
      lines.push(
        `  ${check.label[lang]}: ${t('largestDifference')} ${formatNumber(check.difference.maxAbs, 2)}, ${t('relative')} ${formatNumber(check.difference.relative, 2)}`,
      );
    }
    lines.push('');
  }
  const verdict = report.agree ? style.ok(`✓ ${t('agree')}`) : style.bad(`✗ ${t('disagree')}`);
  lines.push(
    style.heading(t('summary')),
    `${report.links.length} ${t('linksExplained')}: ${formatNumber(report.largestRelative, 2)} (${t(report.agree ? 'withinTolerance' : 'beyondTolerance')}) ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

function linkLines(report: LinkReport, index: number, showForward: boolean, lang: Lang, style: Style): string[] {
  const t = (key: MessageKey): string => message(lang, key);
  const { link, inputs, shown } = report.example;
  const name = (key: string): string => link.display[key] ?? key;
  const lines = [
    style.heading(`── ${t('link')} ${index} · ${link.title[lang]} ──`),
    link.what[lang],
    style.label(t('shapes')),
    ...Object.entries(inputs).map(
      ([key, value]) =>
        `  ${name(key)}  ${link.inputNames.includes(key) ? t('roleInput') : t('roleConstant')}  ${formatShape(value.shape)}`,
    ),
    `  ${name('out')}  ${t('roleOutput')}  ${formatShape(report.output.shape)}`,
    style.label(t('localRule')),
  ];
  for (const op of new Set(link.ops)) lines.push(`  ${t('fromOp')} ${style.label(op)}`, ...backwardLines(op, style));
  for (const key of link.stages ?? []) {
    const stage = stageByKey(key);
    lines.push(`  ${t('stage')} ${stage.id} · ${stage.title[lang]}`);
    for (const formula of Object.values(stage.backward)) lines.push(`    ⇒ ${style.formula(formula)}`);
  }
  lines.push(style.label(t('numbers')));
  if (showForward) {
    for (const [key, value] of Object.entries(inputs)) if (value.dtype !== 'int32') lines.push(...tensorBlock(name(key), value));
    lines.push(...tensorBlock(name('out'), report.output));
  }
  for (const [label, value] of shown ?? []) lines.push(...tensorBlock(label, value));
  lines.push(style.label(`${t('upstream')}:`), ...tensorBlock(`d${name('out')}`, report.dOut));
  lines.push(...threeWayLines(report, (key) => `d${name(key)}`, lang, style));
  return lines;
}
