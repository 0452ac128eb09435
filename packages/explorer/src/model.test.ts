import { composites, multiHeadAttention, residualLayerNorm, stageByKey, stages } from '@attograd/attention';
import { noGrad } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { mistakes } from './mistakes';
import { askCell, checkEntry, computeView, entries, entryView, lossAt } from './model';
import { parseState } from './state';

describe('computeView', () => {
  it('walks every registry entry, the output projection (W_o) among the stages, and each passes its three-way check (heads 2, causal)', () => {
    const view = computeView(parseState('?seq=3&dmodel=4&heads=2&causal=1&seed=5').state);
    expect(entries().map((e) => e.key)).toEqual([...stages.map((s) => s.key), ...composites.map((c) => c.key)]);
    expect(entries().map((e) => e.key)).toContain('outputProjection');
    for (const entry of entries()) expect(checkEntry(entryView(view, entry.key), 'float64').pass, entry.key).toBe(true);
  });

  it('feeds each stage the values the block computed: its run on them gives its recorded output', () => {
    const view = computeView(parseState('?seq=4&dmodel=6&heads=3&causal=1&seed=2').state);
    for (const stage of stages) {
      const v = entryView(view, stage.key);
      const again = noGrad(() => stage.run(v.inputs));
      expect(Array.from(again.data), stage.key).toEqual(Array.from(v.output.data));
    }
    // The block is multi-head attention with W_o, then the residual and layer norm (no second definition).
    const { x, wq, wk, wv, wo, gamma, beta } = view.leaves;
    const y = noGrad(() => residualLayerNorm(x, multiHeadAttention(x, { wq, wk, wv, wo }, { heads: 3, mask: view.mask }), { gamma, beta }));
    expect(Array.from(view.run.y.data)).toEqual(Array.from(y.data));
    expect(entryView(view, 'outputProjection').inputs.wo).toBe(view.run.wo);
  });

  it.each(mistakes.map((m) => [m.key, m.entry]))('the mistake %s fails the %s check and no other', (key, entry) => {
    const view = computeView(parseState(`?seq=3&dmodel=4&causal=1&seed=2&break=${key}`).state);
    const failing = entries()
      .filter((e) => !checkEntry(entryView(view, e.key), 'float64').pass)
      .map((e) => e.key);
    expect(failing).toEqual([entry]);
  });

  it('a gradient cell asked three ways agrees, and its chain-rule terms sum to it', () => {
    const view = computeView(parseState('?seq=3&dmodel=4&seed=1').state);
    const answer = askCell(entryView(view, 'softmax'), 'sHat', 4, 'float64');
    expect(Math.abs(answer.hand - answer.autograd)).toBeLessThan(1e-12);
    expect(Math.abs(answer.hand - answer.numeric)).toBeLessThan(1e-8);
    expect(answer.terms.length).toBeGreaterThan(0);
    expect(Math.abs(answer.terms[0].term)).toBeGreaterThanOrEqual(Math.abs(answer.terms.at(-1)!.term));
  });

  it('float32: every entry is computed in float32, checked, and asked without mixing dtypes (seq 5, d 6, heads 3)', () => {
    // The page once raised "project: x is float64 but wq is float32 (shapes [5, 6] and [6, 6])" here.
    const view = computeView(parseState('?seq=5&dmodel=6&heads=3&causal=1&seed=3&dtype=float32').state);
    expect(view.run.y.dtype).toBe('float32');
    for (const entry of entries()) {
      const v = entryView(view, entry.key);
      for (const name of entry.inputNames) expect(v.inputs[name].dtype, `${entry.key}.${name}`).toBe('float32');
      const verdict = checkEntry(v, 'float32');
      expect(verdict.pass, `${entry.key}: ${verdict.maxRelative}`).toBe(true);
      const answer = askCell(v, entry.inputNames[0], 1, 'float32');
      expect(Math.abs(answer.hand - answer.numeric), entry.key).toBeLessThan(1e-3 * Math.max(1, Math.abs(answer.hand)));
    }
    const moved = view.leaves.x.clone();
    moved.data[0] += 1e-2;
    expect(Number.isFinite(lossAt(view, moved))).toBe(true);
  });

  it('reusing the previous view gives what a fresh computation gives (mask changed; mistake changed)', () => {
    const first = computeView(parseState('?seq=4&dmodel=4&heads=2&causal=1&seed=6').state);
    const masked = parseState('?seq=4&dmodel=4&heads=2&seed=6&mask=1000110010101111').state;
    const reused = computeView(masked, first);
    const fresh = computeView(masked);
    expect(reused.leaves).toBe(first.leaves);
    expect(Array.from(reused.run.y.data)).toEqual(Array.from(fresh.run.y.data));
    expect(Array.from(reused.dX.data)).toEqual(Array.from(fresh.dX.data));
    expect(Array.from(reused.run.y.data)).not.toEqual(Array.from(first.run.y.data));
    const broken = computeView(parseState('?seq=4&dmodel=4&heads=2&causal=1&seed=6&break=softmax-ppt').state, first);
    expect(broken.run).toBe(first.run);
    expect(checkEntry(entryView(broken, 'softmax'), 'float64').pass).toBe(false);
    expect(checkEntry(entryView(first, 'softmax'), 'float64').pass).toBe(true);
  });

  it('a stage the registry does not know is an error naming it', () => {
    const view = computeView(parseState('?seq=2&dmodel=2').state);
    expect(() => entryView(view, 'nope')).toThrow(/no registry entry 'nope'/);
    expect(stageByKey('softmax').key).toBe('softmax');
  });
});
