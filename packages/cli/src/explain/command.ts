import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { explorerHtml } from '@attograd/explorer';
import { stages } from '@attograd/attention';
import type { Command } from 'commander';
import { graphToDot, graphToMermaid } from '../report/graph-text';
import type { ReportSection } from '../report/html-page';
import { renderHtml } from './html';
import { message } from './i18n';
import { buildExplanation, sweepExample, type ExplainReport } from './model';
import { parseExplainOptions, type ExplainOptions, type RawExplainOptions } from './options';
import { styleFor } from './style';
import { UsageError } from '../usage';
import { runScalingExperiment, scalingExperimentSection, scalingExperimentText } from '../explore/experiment';
import { renderText } from './text';
import { topics } from './training-topics';
import { buildTopicReport, renderTopicText } from './training-text';
import { renderTopicHtml } from './training-html';
import { DEFAULT_SIZES } from '../usage';

/**
 * Registers `attograd explain [STAGE|all]`: each stage of self-attention from formula to verified
 * number, in English or Korean, in the terminal, as an HTML report (--html) or as the recorded
 * computation graph (--graph dot|mermaid). Sets exit status 1 when the hand-derived, autograd and
 * finite-difference gradients disagree; bad options are usage errors (status 2).
 *
 * @example
 * attograd explain softmax --seq 4 --lang ko
 */
export function registerExplain(program: Command, setStatus: (code: number) => void): void {
  program
    .command('explain')
    .description(
      'derive the gradients of self-attention stage by stage, and of training (losses, embeddings, GELU, a GPT), with the numbers that prove them',
    )
    .argument(
      '[stage]',
      `all (default), a stage id or a name: ${stages.map((s) => `${s.id} ${s.key}`).join(', ')}; or a training topic: ${topics.map((t) => t.key).join(', ')}`,
    )
    .option('--seq <n>', 'sequence length T', String(DEFAULT_SIZES.explain.seq))
    .option('--dmodel <n>', 'model width d', String(DEFAULT_SIZES.explain.dModel))
    .option('--heads <n>', 'number of heads (must divide d)', String(DEFAULT_SIZES.explain.heads))
    .option('--seed <n>', 'seed of the example inputs and of the random cotangent', '0')
    .option('--causal', 'use a causal mask')
    .option('--lang <lang>', 'en or ko', 'en')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--graph <format>', 'print the recorded computation graph instead (dot or mermaid)')
    .option('--experiment', 'with the scaling stage: run the √d_k experiment (d_k 4 … 1024, with and without scaling; a plot in --html)')
    .action((stage: string | undefined, raw: RawExplainOptions & { experiment?: boolean }) => {
      const options = parseExplainOptions(stage, raw);
      if (raw.experiment && !(options.stages.length === 1 && options.stages[0].key === 'scaling')) {
        throw new UsageError('explain: --experiment goes with the scaling stage: attograd explain scaling --experiment');
      }
      const experiment = raw.experiment ? runScalingExperiment() : undefined;
      if (options.topic !== undefined) {
        const topicReport = buildTopicReport(options.topic, options.sizes);
        process.stdout.write(renderTopicText(topicReport, options.lang, styleFor(process.stdout.isTTY === true)));
        if (options.html !== undefined) writeFile(options.html, renderTopicHtml(topicReport, options.lang), options.lang);
        if (!topicReport.agree) setStatus(1);
        return;
      }
      const report = buildExplanation(options.sizes, options.stages);
      if (options.graph !== undefined) process.stdout.write(`${graphText(report, options)}\n`);
      else process.stdout.write(renderText(report, options.lang, styleFor(process.stdout.isTTY === true)));
      if (experiment !== undefined) process.stdout.write(scalingExperimentText(experiment, options.lang));
      if (options.html !== undefined)
        writeHtml(report, options, experiment === undefined ? [] : [scalingExperimentSection(experiment, options.lang)]);
      if (!report.stages.every((s) => s.agree)) setStatus(1);
    });
}

function graphText(report: ExplainReport, options: ExplainOptions): string {
  const titles = new Map(stages.map((s) => [s.key, s.title[options.lang]]));
  const stageTitle = (stage: string): string => titles.get(stage) ?? stage;
  return options.graph === 'dot' ? graphToDot(report.graph, { stageTitle }) : graphToMermaid(report.graph, { stageTitle });
}

function writeHtml(report: ExplainReport, options: ExplainOptions, sections: ReportSection[]): void {
  // The explorer (one self-contained page) goes beside the report, linked on the same settings.
  const { seq, dModel, heads, seed, causal } = options.sizes;
  const query = `?seq=${seq}&dmodel=${dModel}&heads=${heads}&seed=${seed}${causal ? '&causal=1' : ''}&lang=${options.lang}&stage=${options.stages.length === 1 ? options.stages[0].key : 'projection'}`;
  const file = resolve(options.html!);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(join(dirname(file), 'attograd-explorer.html'), explorerHtml());
  writeFile(
    file,
    renderHtml(report, options.lang, { sweep: sweepExample(options.sizes), sections, explorerHref: `attograd-explorer.html${query}` }),
    options.lang,
  );
}

function writeFile(path: string, html: string, lang: ExplainOptions['lang']): void {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  process.stderr.write(`${message(lang, 'wrote')} ${file}\n`);
}
