import { stages } from '@attograd/attention';
import { describe, expect, it } from 'vitest';
import { mistakes } from './mistakes';
import { askCell, checkEntry, computeView } from './model';
import { parseState } from './state';

describe('computeView', () => {
  it('every entry passes its three-way check without a mistake (heads 2, causal)', () => {
    const view = computeView(parseState('?seq=3&dmodel=4&heads=2&causal=1&seed=5'));
    expect(view.views.map((v) => v.entry.key)).toEqual([...stages.map((s) => s.key), 'selfAttention', 'multiHeadAttention', 'attentionBlock']);
    for (const v of view.views) expect(checkEntry(v, 'float64').pass, v.entry.key).toBe(true);
  });

  it.each(mistakes.map((m) => [m.key, m.entry]))('the mistake %s fails the %s check and no other', (key, entry) => {
    const view = computeView(parseState(`?seq=3&dmodel=4&causal=1&seed=2&break=${key}`));
    const failing = view.views.filter((v) => !checkEntry(v, 'float64').pass).map((v) => v.entry.key);
    expect(failing).toEqual([entry]);
  });

  it('a gradient cell asked three ways agrees, and its chain-rule terms sum to it', () => {
    const view = computeView(parseState('?seq=3&dmodel=4&seed=1'));
    const softmax = view.views.find((v) => v.entry.key === 'softmax')!;
    const answer = askCell(softmax, 'sHat', 4, 'float64');
    expect(Math.abs(answer.hand - answer.autograd)).toBeLessThan(1e-12);
    expect(Math.abs(answer.hand - answer.numeric)).toBeLessThan(1e-8);
    expect(answer.terms.length).toBeGreaterThan(0);
    expect(Math.abs(answer.terms[0].term)).toBeGreaterThanOrEqual(Math.abs(answer.terms.at(-1)!.term));
  });
});
