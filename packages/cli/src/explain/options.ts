import { stages, type Stage } from '@attograd/attention';
import { parseInteger, UsageError } from '../usage';
import { OutputFileError, writableOutput } from '../output-file';
import type { ExampleSizes } from './example';
import { isLang, LANGS, type Lang } from './i18n';
import { topicByArgument, topics, type Topic } from './training-topics';

/** The raw options commander hands to `attograd explain`. */
export interface RawExplainOptions {
  seq: string;
  dmodel: string;
  heads: string;
  seed: string;
  causal?: boolean;
  lang: string;
  html?: string;
  graph?: string;
}

/** The checked options. */
export interface ExplainOptions {
  /** The attention stages to explain (empty when a training topic is chosen). */
  readonly stages: readonly Stage[];
  /** The training topic (cross-entropy, embedding, gelu, gpt), when the argument names one. */
  readonly topic: Topic | undefined;
  readonly sizes: ExampleSizes;
  readonly lang: Lang;
  readonly html: string | undefined;
  readonly graph: 'dot' | 'mermaid' | undefined;
}

const ALIASES: Readonly<Record<string, string>> = {
  qkv: 'projection',
  project: 'projection',
  score: 'scores',
  scale: 'scaling',
  attentionweights: 'softmax',
  weightedsum: 'weightedSum',
  residual: 'residualLayerNorm',
  layernorm: 'residualLayerNorm',
  residuallayernorm: 'residualLayerNorm',
};

/**
 * The stages a STAGE argument names: 'all', a stage id (0–6, or a registered stage's), its key (`weightedSum`) in any case
 * or kebab-case (`weighted-sum`), or a short alias (`layernorm`).
 *
 * @throws UsageError naming the valid choices.
 * @example
 * selectStages('softmax')[0].id // 3
 */
export function selectStages(argument: string | undefined): Stage[] {
  const wanted = (argument ?? 'all').trim();
  if (wanted.toLowerCase() === 'all') return [...stages];
  const folded = wanted.toLowerCase().replace(/[-_\s]/g, '');
  const key = ALIASES[folded] ?? folded;
  const stage = stages.find((s) => String(s.id) === wanted || s.key.toLowerCase() === key.toLowerCase());
  if (stage === undefined) {
    const choices = stages.map((s) => `${s.id} ${s.key}`).join(', ');
    throw new UsageError(
      `explain: unknown stage '${wanted}'; choose all or one of: ${choices}; or a training topic: ${topics.map((t) => t.key).join(', ')}`,
    );
  }
  return [stage];
}

function positiveInteger(option: string, value: string, max: number): number {
  return parseInteger('explain', option, value, { min: 1, max });
}

/** The --html file, checked before anything runs (missing directories are made when it is written). */
function htmlFile(raw: string): string {
  try {
    return writableOutput('--html', raw, { createDirectories: true });
  } catch (error) {
    if (error instanceof OutputFileError) throw new UsageError(`explain: ${error.message}`);
    throw error;
  }
}

/**
 * Checks every option of `attograd explain`.
 *
 * Sizes are capped (T ≤ 16, d ≤ 32): every input element costs two forward passes for the finite
 * differences, and a larger example is no longer readable anyway.
 *
 * @throws UsageError for a size that is not a positive integer (or too large to explain), heads
 * that do not divide d, a seed that is not an integer, an unknown --lang or --graph, an --html
 * file that cannot be written.
 * @example
 * parseExplainOptions('softmax', { seq: '3', dmodel: '4', heads: '1', seed: '0', lang: 'ko' })
 */
export function parseExplainOptions(stage: string | undefined, raw: RawExplainOptions): ExplainOptions {
  const seq = positiveInteger('--seq', raw.seq, 16);
  const dModel = positiveInteger('--dmodel', raw.dmodel, 32);
  const heads = positiveInteger('--heads', raw.heads, dModel);
  if (dModel % heads !== 0)
    throw new UsageError(`explain: --heads ${heads} must divide --dmodel ${dModel} (each head takes dmodel/heads columns)`);
  if (!/^\s*-?\d+\s*$/.test(raw.seed) || !Number.isSafeInteger(Number(raw.seed)))
    throw new UsageError(`explain: --seed must be an integer, got '${raw.seed}'`);
  if (!isLang(raw.lang)) throw new UsageError(`explain: --lang must be one of ${LANGS.join(', ')}, got '${raw.lang}'`);
  if (raw.graph !== undefined && raw.graph !== 'dot' && raw.graph !== 'mermaid') {
    throw new UsageError(`explain: --graph must be dot or mermaid, got '${raw.graph}'`);
  }
  const topic = topicByArgument(stage);
  if (topic !== undefined && raw.graph !== undefined)
    throw new UsageError(`explain: --graph draws the attention block; it does not apply to the training topic '${topic.key}'`);
  return {
    stages: topic === undefined ? selectStages(stage) : [],
    topic,
    sizes: { seq, dModel, heads, seed: Number(raw.seed), causal: raw.causal === true },
    lang: raw.lang,
    html: raw.html === undefined ? undefined : htmlFile(raw.html),
    graph: raw.graph as 'dot' | 'mermaid' | undefined,
  };
}
