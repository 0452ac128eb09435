import { describe, expect, it } from 'vitest';
import { mistakes } from './mistakes';
import { DEFAULT_STATE, type ExplorerState, isValidSeed, LIMITS, parseState, rejectedMessage, stateToSearch, problemKey } from './state';

describe('parseState and the page agree on the seed', () => {
  it('reads back every seed the page accepts, at both ends of the range, with nothing rejected', () => {
    for (const seed of [0, 7, -3, LIMITS.seed, -LIMITS.seed]) {
      expect(isValidSeed(seed)).toBe(true);
      const state: ExplorerState = { ...DEFAULT_STATE, seed };
      const parsed = parseState(stateToSearch(state));
      expect(parsed.rejected).toEqual([]);
      expect(parsed.state).toEqual(state);
    }
  });

  it('the page refuses the seeds a URL cannot carry (one range for both)', () => {
    for (const seed of [LIMITS.seed + 1, -LIMITS.seed - 1, 5e9, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(isValidSeed(seed), String(seed)).toBe(false);
    }
  });

  it('a shared link with an out-of-range seed is reported, not silently replaced by the default', () => {
    const parsed = parseState('?seq=4&dmodel=8&seed=5000000000');
    expect(parsed.state.seed).toBe(DEFAULT_STATE.seed);
    expect(parsed.rejected).toEqual([
      { name: 'seed', value: '5000000000', expected: 'an integer from -1000000000 to 1000000000', used: '0' },
    ]);
    expect(rejectedMessage(parsed.rejected, 'en')).toContain('seed=5000000000');
    expect(rejectedMessage(parsed.rejected, 'ko')).toContain('seed=5000000000 → 0');
  });
});

describe('parseState reports every parameter it cannot use', () => {
  it('malformed and out-of-range values each name their parameter and the value used instead', () => {
    const parsed = parseState(
      '?seq=99&dmodel=6&heads=4&causal=yes&mask=101&seed=1e3&dtype=float16&lang=fr&stage=nope&break=nope&nudge=-1&delta=abc',
    );
    const byName = Object.fromEntries(parsed.rejected.map((r) => [r.name, r.used]));
    expect(byName).toEqual({
      seq: String(DEFAULT_STATE.seq),
      heads: '3',
      causal: '0',
      mask: '(none)',
      seed: '0',
      dtype: 'float64',
      lang: 'en',
      stage: DEFAULT_STATE.stage,
      break: '',
      nudge: '0',
      delta: String(DEFAULT_STATE.delta),
    });
    // The state is the one the page shows: every value valid.
    expect(parsed.state).toMatchObject({ seq: 4, dModel: 6, heads: 3, causal: false, mask: null, seed: 0, broken: null });
  });

  it('δ beyond the slider and the curve (±1) is reported, not kept where the slider cannot show it', () => {
    const parsed = parseState('?delta=2.5');
    expect(parsed.rejected).toEqual([
      { name: 'delta', value: '2.5', expected: 'a number from -1 to 1', used: String(DEFAULT_STATE.delta) },
    ]);
    expect(parsed.state.delta).toBe(DEFAULT_STATE.delta);
    expect(parseState('?delta=-1').rejected).toEqual([]);
  });

  it('a link written by the page reads back with nothing rejected (mask, mistake, nudge, δ, float32, Korean)', () => {
    const state: ExplorerState = {
      seq: 3,
      dModel: 4,
      heads: 2,
      causal: false,
      mask: '100110111',
      seed: -12345,
      dtype: 'float32',
      lang: 'ko',
      stage: 'softmax',
      broken: mistakes[0].key,
      nudgeIndex: 5,
      delta: -0.25,
    };
    const parsed = parseState(stateToSearch(state));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.state).toEqual(state);
  });

  it('an empty query gives the defaults and no message', () => {
    const parsed = parseState('');
    expect(parsed).toEqual({ state: DEFAULT_STATE, rejected: [] });
    expect(rejectedMessage(parsed.rejected, 'en')).toBe('');
  });
});

describe('problemKey', () => {
  it('is the same across what only changes the display (stage, language, nudge) and differs for what changes the numbers', () => {
    const base = parseState('?seq=3&dmodel=4&seed=2').state;
    const key = problemKey(base);
    expect(problemKey({ ...base, stage: 'projection', lang: 'ko', nudgeIndex: 3, delta: -0.5 })).toBe(key);
    for (const change of [
      { seed: 3 },
      { seq: 4 },
      { causal: true },
      { dtype: 'float32' as const },
      { broken: 'softmax-ppt' },
      { mask: '101010101' },
    ])
      expect(problemKey({ ...base, ...change }), JSON.stringify(change)).not.toBe(key);
  });
});
