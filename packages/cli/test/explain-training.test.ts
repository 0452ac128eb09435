import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glossary } from '@attograd/attention';
import { GPT } from 'attograd';
import { type Tensor, tensor } from '@attograd/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatNumber } from '../src/report/number-format';
import { gptExample } from '../src/explain/training-gpt';
import { topicByArgument, topics } from '../src/explain/training-topics';
import { buildTopicReport, type TopicReport } from '../src/explain/training-text';
import { htmlText, isData, isEnglishProse } from './english-prose';
import { run } from './run-main';

/**
 * Issue 13's explain topics (cross-entropy, embedding, gelu, gpt). Every expected number here is
 * computed by the test itself — its own softmax, scatter-add, normal CDF by quadrature, finite
 * differences of its own tanh-GELU, and the GPT module's own forward and autograd — never by the
 * links that printed them; and the Korean output holds no English prose.
 */

const SIZES = { seq: 3, dModel: 4, heads: 1, seed: 0, causal: false } as const;

afterEach(() => vi.restoreAllMocks());

/** The rows of a [rows, width] tensor as arrays. */
function rows(t: Tensor): number[][] {
  const width = t.shape[t.rank - 1];
  return Array.from({ length: t.size / width }, (_, r) => Array.from(t.data.subarray(r * width, (r + 1) * width)));
}

function expectClose(actual: Tensor, expected: readonly number[], tolerance: number, what: string): void {
  expect(actual.size, what).toBe(expected.length);
  const worst = Math.max(...expected.map((e, i) => Math.abs(actual.data[i] - e)));
  expect(worst, what).toBeLessThan(tolerance);
}

/** Each link's three gradients (hand, autograd, finite differences) against `expected`. */
function expectThreeWays(report: TopicReport, linkIndex: number, input: number, expected: readonly number[], tolerance = 1e-8): void {
  const g = report.links[linkIndex].gradients[input];
  expectClose(g.manual, expected, tolerance, `${report.links[linkIndex].example.link.key} hand-derived`);
  expectClose(g.autograd, expected, tolerance, `${report.links[linkIndex].example.link.key} autograd`);
  expectClose(g.numeric, expected, tolerance, `${report.links[linkIndex].example.link.key} finite differences`);
}

describe('attograd explain TOPIC: the training topics', () => {
  it('--help lists every topic', async () => {
    const { stdout } = await run(['explain', '--help']);
    for (const topic of topics) expect(stdout).toContain(topic.key);
  });

  it.each(topics.map((t) => [t.key]))('%s: status 0, both languages; --lang ko has no line of English prose', async (key) => {
    const english = await run(['explain', key]);
    expect(english.status).toBe(0);
    expect(english.stdout).toContain('✓ the three agree');
    const korean = await run(['explain', key, '--lang', 'ko']);
    expect(korean.status).toBe(0);
    const prose = korean.stdout.split('\n').filter((line) => !isData(line) && isEnglishProse(line));
    expect(prose, prose.slice(0, 8).join('\n')).toEqual([]);
    expect(korean.stdout).toMatch(/[\uac00-\ud7a3]/);
    expect(korean.stdout).toContain('세 값이 일치한다');
    for (const entry of glossary) for (const avoided of entry.avoid ?? []) expect(korean.stdout, avoided).not.toContain(avoided);
  });

  it('--graph does not apply to a topic (usage error), and an unknown topic names the topics', async () => {
    const graph = await run(['explain', 'gpt', '--graph', 'dot']);
    expect(graph.status).toBe(2);
    expect(graph.stderr).toContain('training topic');
    const unknown = await run(['explain', 'softmax-cross']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('cross-entropy, embedding, gelu, gpt');
  });

  it('--html writes a page with a section per link, in Korean without English prose', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'attograd-topic-')), 'gpt.html');
    const { status } = await run(['explain', 'gpt', '--lang', 'ko', '--html', file]);
    expect(status).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<section id="link-/g)).toHaveLength(10);
    const text = htmlText(html);
    const prose = text.split('\n').filter((line) => line.trim() !== '' && isEnglishProse(line));
    expect(prose, prose.slice(0, 8).join('\n')).toEqual([]);
  });
});

describe('cross-entropy: dX = dL (softmax(X) − q)/N, checked by the test’s own softmax', () => {
  const report = buildTopicReport(topicByArgument('cross-entropy')!, SIZES);
  const cases = [
    { targets: [1, 3, 0, 4], epsilon: 0 },
    { targets: [1, 3, -100, 4], epsilon: 0.1 },
  ];

  it.each([0, 1])('case %s: one-hot or smoothed targets, ignored rows 0, divided by the counted rows', (index) => {
    const { targets, epsilon } = cases[index];
    const logits = report.links[index].example.inputs.logits;
    expect(Array.from(report.links[index].example.inputs.targets.data)).toEqual(targets);
    const counted = targets.filter((t) => t !== -100).length;
    const expected = rows(logits).flatMap((row, r) => {
      if (targets[r] === -100) return row.map(() => 0);
      const exps = row.map((v) => Math.exp(v));
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((e, c) => (e / total - ((c === targets[r] ? 1 - epsilon : 0) + epsilon / row.length)) / counted);
    });
    expectThreeWays(report, index, 0, expected);
    // the loss itself: mean over counted rows of lse(x) − qᵀx
    const losses = rows(logits).map((row, r) => {
      if (targets[r] === -100) return 0;
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      return lse - row.reduce((a, v, c) => a + v * ((c === targets[r] ? 1 - epsilon : 0) + epsilon / row.length), 0);
    });
    expect(report.links[index].output.item()).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / counted, 12);
  });

  it('prints those numbers', async () => {
    const { stdout } = await run(['explain', 'cross-entropy']);
    for (const index of [0, 1]) {
      const g = report.links[index].gradients[0].autograd;
      for (const value of [g.data[1], g.data[8]]) expect(stdout).toContain(formatNumber(value, 4));
    }
    expect(stdout).toContain('N = 3');
  });
});

describe('embedding: a repeated id adds its rows of dY (scatter-add)', () => {
  const report = buildTopicReport(topicByArgument('embedding')!, SIZES);
  const { ids } = report.links[0].example.inputs;
  const dY = report.links[0].dOut;

  it('dW row v is the sum of the dY rows at the positions holding v; unused rows are 0', () => {
    expect(Array.from(ids.data)).toEqual([1, 3, 1, 4]);
    const expected = new Array(5 * 3).fill(0);
    rows(dY).forEach((row, p) => row.forEach((value, c) => (expected[ids.data[p] * 3 + c] += value)));
    expectThreeWays(report, 0, 0, expected, 1e-12);
    const dW = report.links[0].gradients[0].manual;
    for (const c of [0, 1, 2]) expect(dW.data[3 + c]).toBe(dY.data[c] + dY.data[6 + c]);
    for (const unused of [0, 2]) expect(Array.from(dW.data.subarray(unused * 3, unused * 3 + 3))).toEqual([0, 0, 0]);
  });

  it('prints the two rows and their sum', async () => {
    const { stdout } = await run(['explain', 'embedding']);
    expect(stdout).toContain('dY[0] + dY[2]');
    for (const c of [0, 1, 2]) expect(stdout).toContain(formatNumber(dY.data[c] + dY.data[6 + c], 4));
  });
});

/** Φ(x) by Simpson's rule on the normal density (independent of any erf in the library). */
function normalCdf(x: number): number {
  const steps = 2000;
  const h = x / steps;
  const density = (t: number): number => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let total = density(0) + density(x);
  for (let i = 1; i < steps; i++) total += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (total * h) / 3;
}

describe('gelu: the exact slope Φ + xφ and the tanh form’s slope', () => {
  const report = buildTopicReport(topicByArgument('gelu')!, SIZES);
  const x = [-3, -1.5, -0.5, 0, 0.5, 1.5, 3];

  it('exact form: dX = dY ⊙ (Φ(X) + X φ(X)), Φ by quadrature', () => {
    const dY = report.links[0].dOut;
    const slope = x.map((v) => normalCdf(v) + (v * Math.exp((-v * v) / 2)) / Math.sqrt(2 * Math.PI));
    expect(slope[3]).toBeCloseTo(0.5, 14);
    expect(slope[5]).toBeCloseTo(0.933192798731142 + 1.5 * 0.129517595665892, 12); // Φ(1.5) + 1.5 φ(1.5), from tables
    expectThreeWays(
      report,
      0,
      0,
      slope.map((s, i) => dY.data[i] * s),
    );
  });

  it('tanh form: dX = dY ⊙ gelu_tanh′(X), the slope by central differences of the test’s own ½x(1 + tanh(√(2/π)(x + 0.044715x³)))', () => {
    const dY = report.links[1].dOut;
    const f = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    const h = 1e-5;
    const slope = x.map((v) => (f(v + h) - f(v - h)) / (2 * h));
    expectThreeWays(
      report,
      1,
      0,
      slope.map((s, i) => dY.data[i] * s),
      1e-8,
    );
  });

  it('prints the tanh derivative from the record and the slopes', async () => {
    const { stdout } = await run(['explain', 'gelu']);
    expect(stdout).toContain('½(1 + tanh u) + ½x (1 − tanh²u) u′');
    // The printed slope rows (exact form, then tanh form) are the test's own slopes to 4 digits.
    const rows = [...stdout.matchAll(/gelu′\(X\) \[7\] =\n\s*\[([^\]]*)\]/g)].map((m) => m[1].trim().split(/\s+/));
    expect(rows).toHaveLength(2);
    const exact = x.map((v) => normalCdf(v) + (v * Math.exp((-v * v) / 2)) / Math.sqrt(2 * Math.PI));
    const f = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    const approximate = x.map((v) => (f(v + 1e-5) - f(v - 1e-5)) / 2e-5);
    expect(rows[0]).toEqual(exact.map((v) => formatNumber(v, 4)));
    expect(rows[1]).toEqual(approximate.map((v) => formatNumber(v, 4)));
  });
});

describe('gpt: the chain from the loss back to the embeddings', () => {
  const report = buildTopicReport(topicByArgument('gpt')!, SIZES);
  const link = (key: string) => report.links.find((l) => l.example.link.key === key)!;
  const { config, ids, targets } = gptExample(SIZES);
  const model = new GPT(config);
  const { logits, loss } = model.forward(tensor(ids, { dtype: 'int32' }), tensor(targets, { dtype: 'int32' }));
  loss!.backward();

  it('walks loss → head → final norm → block (MLP, attention) → embeddings, every link agreeing three ways', () => {
    expect(report.links.map((l) => l.example.link.key)).toEqual([
      'loss',
      'head',
      'lnf',
      'residual2',
      'mlp',
      'ln2',
      'residual1',
      'attention',
      'ln1',
      'embeddings',
    ]);
    for (const l of report.links) expect(l.largest.relative, l.example.link.key).toBeLessThan(1e-6);
    expect(report.agree).toBe(true);
  });

  it('dlogits = (softmax(logits) − onehot(y))/T from the module’s own logits', () => {
    const expected = rows(logits).flatMap((row, r) => {
      const top = Math.max(...row);
      const exps = row.map((v) => Math.exp(v - top));
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((e, c) => (e / total - (c === targets[r] ? 1 : 0)) / ids.length);
    });
    expectThreeWays(report, 0, 0, expected, 1e-8);
  });

  it('the hand-derived gradients of the parameters equal the GPT module’s autograd gradients', () => {
    const block = model.blocks.at(0);
    const close = (hand: Tensor, grad: Tensor | null, what: string) => expectClose(hand, Array.from(grad!.data), 1e-12, what);
    close(link('embeddings').gradients[0].manual, model.tokenEmbedding.weight.grad, 'dE');
    close(link('embeddings').gradients[1].manual, model.positionEmbedding.weight.grad, 'dP');
    close(link('head').gradients[1].manual, model.head!.weight.grad, 'dW_head');
    close(link('mlp').gradients[1].manual, block.mlp.fc1.weight.grad, 'dW_1');
    close(link('mlp').gradients[2].manual, block.mlp.fc2.weight.grad, 'dW_2');
    close(link('lnf').gradients[1].manual, model.finalNorm.weight!.grad, 'dγ_f');
    close(link('ln1').gradients[2].manual, block.ln1.bias!.grad, 'dβ_1');
    // W_o is stored [in, out] in the attention link: the module's out_proj.weight is its transpose
    const dWo = link('attention').gradients[4].manual;
    const d = SIZES.dModel;
    const transposed = Array.from({ length: d * d }, (_, i) => dWo.data[(i % d) * d + Math.floor(i / d)]);
    expectClose(block.attention.outProj.weight.grad!, transposed, 1e-12, 'dW_o');
  });

  it('has a repeated token, whose row of dE sums two rows of dX_0', () => {
    expect(ids[ids.length - 1]).toBe(ids[0]);
    const dX0 = link('embeddings').dOut;
    const dE = link('embeddings').gradients[0].manual;
    const token = ids[0];
    // dE's row for the token is the sum of dX_0's rows at every position that holds it (at least two).
    const positions = ids.flatMap((id, p) => (id === token ? [p] : []));
    expect(positions.length).toBeGreaterThanOrEqual(2);
    for (let c = 0; c < SIZES.dModel; c++) {
      const sum = positions.reduce((total, p) => total + dX0.data[p * SIZES.dModel + c], 0);
      expect(dE.data[token * SIZES.dModel + c]).toBeCloseTo(sum, 14);
    }
  });

  it('prints the loss of GPT.forward and the chain checks, in both languages', async () => {
    const { stdout } = await run(['explain', 'gpt']);
    expect(stdout).toContain(`L = ${loss!.item().toFixed(6)}`);
    expect(stdout).toContain('dE: the hand chain vs autograd on the GPT module');
    const korean = await run(['explain', 'gpt', '--lang', 'ko', '--heads', '2']);
    expect(korean.status).toBe(0);
    expect(korean.stdout).toContain('손으로 이은 사슬과 GPT 모듈의 자동 미분');
  });
});
