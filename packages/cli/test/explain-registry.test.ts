import { registerStage, scaleScores, stageByKey, unregisterStage, type Stage } from '@attograd/attention';
import { randn, rng, Tensor, tensor } from '@attograd/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { buildExplanation } from '../src/explain/model';
import { run } from './run-main';

// Issue 12, item 4: adding a stage is one registry entry. A throw-away stage registered here, and
// nothing else, must be explained by `attograd explain` and checked by `attograd check`.

/** Ŝ from S a second way (dK as a constant), with a plain-loop backward: dS_i = dŜ_i·factor/√d_k. */
function throwAwayStage(factor: number): Stage {
  const scaling = stageByKey('scaling');
  return {
    ...scaling,
    id: 99,
    key: 'scaledAgain',
    title: { en: 'Scaled again (a throw-away test stage)', ko: '다시 나누기 (시험용 단계)' },
    display: { s: 'S', dK: 'd_k', sHat: 'Ŝ' },
    outputNames: ['sHat'],
    makeInputs: (sizes) => ({
      s: randn([sizes.seq, sizes.seq], { rng: rng(sizes.seed ?? 0), requiresGrad: true }),
      dK: tensor(sizes.dModel),
    }),
    run: ({ s, dK }) => scaleScores(s, dK.item()),
    manualBackward: ({ dK }, dOut) => ({
      s: new Tensor(
        dOut.data.map((v) => (v * factor) / Math.sqrt(dK.item())),
        dOut.shape,
      ),
    }),
  };
}

describe('a stage added to the registry, and nowhere else', () => {
  afterEach(() => {
    try {
      unregisterStage('scaledAgain');
    } catch {
      // not registered by this test
    }
  });

  it('is explained on the recorded run: fed the run’s S, given the run’s dŜ, its three gradients compared', () => {
    registerStage(throwAwayStage(1), { before: 'softmax' });
    const report = buildExplanation({ seq: 3, dModel: 4, heads: 2, seed: 1, causal: true });
    const byKey = (key: string) => report.stages.find((s) => s.stage.key === key)!;
    expect(report.stages.map((s) => s.stage.key)).toEqual([
      'projection',
      'scores',
      'scaling',
      'scaledAgain',
      'softmax',
      'weightedSum',
      'outputProjection',
      'residualLayerNorm',
    ]);
    const extra = byKey('scaledAgain');
    expect(Array.from(extra.inputs.s.data)).toEqual(Array.from(byKey('scores').output.data));
    expect(Array.from(extra.dOut.data)).toEqual(Array.from(byKey('scaling').dOut.data));
    expect(extra.agree).toBe(true);
    expect(extra.gradients[0].manualVsNumeric.relative).toBeLessThan(1e-8);
  });

  it('is printed by attograd explain in both languages, and a wrong backward makes explain fail', async () => {
    registerStage(throwAwayStage(1), { before: 'softmax' });
    for (const lang of ['en', 'ko'] as const) {
      const { status, stdout } = await run(['explain', 'all', '--lang', lang]);
      expect(status).toBe(0);
      expect(stdout).toContain(
        lang === 'en' ? '━━ Stage 99 · Scaled again (a throw-away test stage) ━━' : '━━ 단계 99 · 다시 나누기 (시험용 단계) ━━',
      );
    }
    expect((await run(['explain', 'scaledAgain'])).stdout).toContain('1 stages explained');
    unregisterStage('scaledAgain');
    registerStage(throwAwayStage(1.5), { before: 'softmax' });
    expect((await run(['explain', 'scaledAgain'])).status).toBe(1);
  });

  it('is checked by attograd check (gradcheck of its run), by name and in check all’s stage list', async () => {
    expect((await run(['check', 'scaledAgain'])).status).toBe(2); // unknown before it is registered
    registerStage(throwAwayStage(1));
    const checked = await run(['check', 'scaledAgain']);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain('scaledAgain');
  });
});
