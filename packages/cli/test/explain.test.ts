import { multiHeadAttention, residualLayerNorm, stageByKey, stages } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { matmul, transpose } from '@attograd/ops';
import { tensor, topologicalOrder, type Tensor } from '@attograd/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareStage } from '../src/explain/three-way-check';
import { blockLeaves } from '../src/explain/example';
import { LANGS, MESSAGE_KEYS, message } from '../src/explain/i18n';
import { buildExplanation, type ExplainReport } from '../src/explain/model';
import { run } from './run-main';

const HANGUL = /[\uac00-\ud7a3]/;
const sizes = { seq: 3, dModel: 4, heads: 1, seed: 0, causal: false };

afterEach(() => vi.restoreAllMocks());

const maxAbs = (a: Tensor, b: Tensor): number => Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i])));

describe('translations', () => {
  it('every fixed string of explain exists in English and in Korean', () => {
    expect(LANGS).toEqual(['en', 'ko']);
    for (const key of MESSAGE_KEYS) {
      expect(message('en', key).trim(), key).not.toBe('');
      expect(message('ko', key), `${key} in Korean`).toMatch(HANGUL);
    }
  });

  it('no stage lacks a title or a what / why / result in either language', () => {
    for (const stage of stages) {
      for (const lang of LANGS) {
        expect(stage.title[lang].trim(), `${stage.key} title ${lang}`).not.toBe('');
        for (const part of ['what', 'why', 'result'] as const) {
          const text = stage.explanation[lang][part];
          expect(text.trim().length, `${stage.key} ${part} ${lang}`).toBeGreaterThan(20);
          if (lang === 'ko') expect(text, `${stage.key} ${part} ko`).toMatch(HANGUL);
        }
      }
    }
  });
});

describe('the explained example', () => {
  const report: ExplainReport = buildExplanation(sizes);
  const byKey = (key: string) => report.stages.find((s) => s.stage.key === key)!;

  it('explains every registered stage in the order the block runs them (W_o, stage 6, between 4 and 5)', () => {
    expect(report.stages.map((s) => s.stage.id)).toEqual([0, 1, 2, 3, 4, 6, 5]);
  });

  it('hand-derived, autograd and finite differences agree for every stage and every input', () => {
    for (const stage of report.stages) {
      expect(stage.agree, stage.stage.key).toBe(true);
      expect(stage.gradients.map((g) => g.name)).toEqual(stage.stage.inputNames);
      for (const g of stage.gradients) {
        expect(g.manualVsAutograd.relative, `${stage.stage.key} d${g.name}`).toBeLessThan(1e-12);
        expect(g.autogradVsNumeric.relative, `${stage.stage.key} d${g.name}`).toBeLessThan(1e-8);
        expect(
          g.autograd.data.some((v) => v !== 0),
          `d${g.name} is not all zeros`,
        ).toBe(true);
      }
    }
  });

  it('feeds each stage the values the previous stage produced', () => {
    const [q, k] = [byKey('projection').outputs[0][1], byKey('projection').outputs[1][1]];
    expect(maxAbs(byKey('scores').inputs.q, q)).toBe(0);
    expect(maxAbs(byKey('scores').inputs.k, k)).toBe(0);
    expect(maxAbs(byKey('scaling').inputs.s, byKey('scores').output)).toBe(0);
    expect(maxAbs(byKey('softmax').inputs.sHat, byKey('scaling').output)).toBe(0);
    expect(maxAbs(byKey('weightedSum').inputs.p, byKey('softmax').output)).toBe(0);
    expect(maxAbs(byKey('outputProjection').inputs.zHeads, byKey('weightedSum').output)).toBe(0);
    expect(maxAbs(byKey('residualLayerNorm').inputs.z, byKey('outputProjection').output)).toBe(0);
  });

  it('passes each stage the upstream gradient that really flows back (dP = dZ·Vᵀ, dŜ = √d_k·dS)', () => {
    const weighted = byKey('weightedSum');
    const dP = matmul(weighted.dOut, transpose(weighted.inputs.v));
    expect(maxAbs(byKey('softmax').dOut, dP)).toBeLessThan(1e-12);
    const dS = byKey('scores').dOut.data;
    byKey('scaling').dOut.data.forEach((v, i) => expect(dS[i]).toBeCloseTo(v / Math.sqrt(4), 12));
    expect(new Set(byKey('residualLayerNorm').dOut.data).size).toBe(12); // a random cotangent
  });

  it('prints the softmax Jacobian of a real row of P, recomputed here as p_i (δ_ij − p_j)', () => {
    const softmaxStage = byKey('softmax');
    const jacobian = softmaxStage.jacobian!;
    const p = Array.from(softmaxStage.output.data.subarray(jacobian.row * 3, jacobian.row * 3 + 3));
    expect(jacobian.p).toEqual(p);
    jacobian.jacobian.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(p[i] * ((i === j ? 1 : 0) - p[j]), 15)));
    expect(jacobian.maxAbs).toBeLessThan(1e-15);
  });

  it('works with several heads and a causal mask', () => {
    const headed = buildExplanation({ seq: 4, dModel: 6, heads: 3, seed: 5, causal: true });
    expect(headed.stages.every((s) => s.agree)).toBe(true);
    const softmaxStage = headed.stages.find((s) => s.stage.key === 'softmax')!;
    expect(softmaxStage.inputs.sHat.shape).toEqual([3, 4, 4]);
    expect(softmaxStage.output.data[1]).toBe(0); // query 0 may not see key 1
  });
});

describe('compareStage', () => {
  it('reports a disagreement when a hand-derived backward is wrong', () => {
    const softmaxStage = stageByKey('softmax');
    const broken = {
      ...softmaxStage,
      manualBackward: (inputs: Record<string, Tensor>, dOut: Tensor) =>
        softmaxStage.manualBackward(
          inputs,
          matmul(
            dOut,
            tensor([
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1.01],
            ]),
          ),
        ),
    };
    const inputs = softmaxStage.makeInputs({ seq: 3, dModel: 4, seed: 1 });
    const dOut = tensor([
      [0.3, -1.2, 0.5],
      [1.1, 0.2, -0.7],
      [-0.4, 0.9, 0.6],
    ]);
    expect(compareStage(softmaxStage, inputs, dOut).agree).toBe(true);
    const verdict = compareStage(broken, inputs, dOut);
    expect(verdict.agree).toBe(false);
    expect(verdict.gradients[0].autogradVsNumeric.relative).toBeLessThan(1e-8); // autograd is still right
  });
});

describe('attograd explain (the command)', () => {
  it('explains one stage with its derivation steps taken from the op, the Jacobian and the numbers', async () => {
    const { status, stdout } = await run(['explain', 'softmax']);
    expect(status).toBe(0);
    expect(stdout).toContain(stageByKey('softmax').title.en);
    for (const step of derivations.softmax.steps) expect(stdout).toContain(step);
    expect(stdout).toContain(derivations.softmax.backward.x);
    expect(stdout).toContain(stageByKey('softmax').backward.sHat);
    expect(stdout).toContain('J·dP(2)');
    expect(stdout).not.toContain(stageByKey('projection').title.en); // only the chosen stage
    expect(stdout).not.toContain('\u001b['); // no colours when not a TTY
    expect(stdout).toMatch(/✓ the three agree/);
  });

  it('speaks Korean with --lang ko: stage texts and the fixed headings', async () => {
    const { status, stdout } = await run(['explain', 'all', '--lang', 'ko']);
    expect(status).toBe(0);
    for (const stage of stages) {
      expect(stdout).toContain(stage.title.ko);
      for (const part of ['what', 'why', 'result'] as const) expect(stdout).toContain(stage.explanation.ko[part]);
      expect(stdout).not.toContain(stage.explanation.en.what);
    }
    for (const key of [
      'what',
      'why',
      'result',
      'shapes',
      'forward',
      'backward',
      'derivation',
      'numbers',
      'threeWays',
      'upstream',
      'summary',
    ] as const) {
      expect(stdout).toContain(message('ko', key));
      expect(stdout).not.toContain(message('en', key));
    }
  });

  it('accepts a stage by id, key or kebab-case name', async () => {
    for (const name of ['4', 'weightedSum', 'weighted-sum']) {
      const { status, stdout } = await run(['explain', name]);
      expect(status).toBe(0);
      expect(stdout).toContain(stageByKey('weightedSum').title.en);
    }
  });

  it('rejects bad usage with status 2 and a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['explain', 'attention'], /unknown stage 'attention'; choose all or one of: 0 projection/],
      [['explain', '--heads', '3'], /--heads 3 must divide --dmodel 4/],
      [['explain', '--seq', '0'], /--seq must be an integer from 1 to 16, got '0'/],
      [['explain', '--dmodel', '64'], /--dmodel must be an integer from 1 to 32, got '64'/],
      [['explain', '--lang', 'fr'], /--lang must be one of en, ko, got 'fr'/],
      [['explain', '--graph', 'png'], /--graph must be dot or mermaid, got 'png'/],
    ];
    for (const [args, pattern] of cases) {
      const { status, stderr } = await run(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stderr).toMatch(pattern);
    }
  });

  it('--graph prints the recorded autograd graph: a node per tensor, an edge per op input', async () => {
    // The same graph, counted here straight from multiHeadAttention + residualLayerNorm's recorded gradFns.
    const { x, wq, wk, wv, wo, gamma, beta } = blockLeaves(sizes);
    const order = topologicalOrder(residualLayerNorm(x, multiHeadAttention(x, { wq, wk, wv, wo }, { heads: 1 }), { gamma, beta }));
    const edges = order.reduce((total, node) => total + (node.gradFn?.inputs.length ?? 0), 0);
    const dot = (await run(['explain', '--graph', 'dot'])).stdout;
    expect(dot.match(/^\s*n\d+ \[label=/gm)).toHaveLength(order.length);
    expect(dot.match(/ -> /g)).toHaveLength(edges);
    expect(dot).toContain('softmax [1, 3, 3]'); // one head: the head axis of size 1
    expect(dot).toContain(derivations.layerNorm.backward.gamma);
    const mermaid = (await run(['explain', '--graph', 'mermaid', '--lang', 'ko'])).stdout;
    expect(mermaid.startsWith('flowchart TD')).toBe(true);
    expect(mermaid.match(/ --> /g)).toHaveLength(edges);
    expect(mermaid).toContain(stageByKey('softmax').title.ko);
  });
});
