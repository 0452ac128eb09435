import { DEFAULT_DKS, scalingExperiment, type ScalingRow } from '@attograd/explorer';
import { lineChartSvg } from '../report/line-chart';
import { escapeHtml, htmlTable, type ReportSection } from '../report/html-page';

/**
 * `attograd explain scaling --experiment`: the √d_k experiment of the explorer, measured here and
 * printed as a table (and drawn in --html). The numbers are measured, not asserted: for each d_k,
 * with and without the 1/√d_k, the spread of the softmax's input, its entropy and the norm of the
 * gradient reaching Q and K, averaged over seeded draws.
 */

const TEXT = {
  en: {
    title: 'Experiment: why divide by √d_k',
    note: 'Q, K: [8, d_k] with independent standard normal entries, 20 seeded draws per row; P = softmax(Q·Kᵀ/√d_k) or softmax(Q·Kᵀ); a random cotangent of P.',
    head: ['d_k', 'scaled', 'score spread (std)', 'softmax entropy (nats)', '‖(dQ, dK)‖'],
    explore: 'Explore it interactively: attograd explore',
  },
  ko: {
    title: '실험: 왜 √d_k로 나누는가',
    note: 'Q, K: [8, d_k], 성분은 서로 독립인 표준 정규분포, 행마다 시드가 다른 20번의 추출; P = softmax(Q·Kᵀ/√d_k) 또는 softmax(Q·Kᵀ); P에 대한 무작위 코탄젠트.',
    head: ['d_k', '나눔', '점수의 퍼짐 (표준편차)', '소프트맥스 엔트로피 (nats)', '‖(dQ, dK)‖'],
    explore: '직접 해 보기: attograd explore',
  },
} as const;

export type ExperimentLang = keyof typeof TEXT;

function rows(results: readonly ScalingRow[]): string[][] {
  return results.map((r) => [
    String(r.dK),
    r.scaled ? '/√d_k' : '—',
    r.scoreSpread.toPrecision(4),
    r.entropy.toPrecision(4),
    r.gradNorm.toPrecision(4),
  ]);
}

/** Runs the experiment (default d_k = 4 … 1024). */
export function runScalingExperiment(): ScalingRow[] {
  return scalingExperiment({ dKs: DEFAULT_DKS, draws: 20 });
}

/** The experiment as a text table. */
export function scalingExperimentText(results: readonly ScalingRow[], lang: ExperimentLang): string {
  const t = TEXT[lang];
  const table = [[...t.head], ...rows(results)];
  const widths = t.head.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  return `\n${t.title}\n${t.note}\n\n${lines.join('\n')}\n\n${t.explore}\n`;
}

/** The experiment as a section of the explain HTML report: the table and three charts. */
export function scalingExperimentSection(results: readonly ScalingRow[], lang: ExperimentLang): ReportSection {
  const t = TEXT[lang];
  const chart = (column: 'scoreSpread' | 'entropy' | 'gradNorm', title: string, logY: boolean): string =>
    lineChartSvg(
      [true, false].map((scaled) => ({
        name: scaled ? '/√d_k' : '—',
        points: results.filter((r) => r.scaled === scaled).map((r) => [r.dK, r[column]] as const),
      })),
      { title, xLabel: 'd_k', yLabel: title, logX: true, logY, width: 420, height: 280 },
    );
  return {
    id: 'experiment-scaling',
    title: t.title,
    html: `<p>${escapeHtml(t.note)}</p>${chart('scoreSpread', t.head[2], true)}${chart('entropy', t.head[3], false)}${chart('gradNorm', t.head[4], true)}${htmlTable([[...t.head], ...rows(results)])}`,
  };
}
