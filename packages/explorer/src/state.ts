import { composites, stages } from '@attograd/attention';
import { mistakes } from './mistakes';

/**
 * The explorer's whole state, and its URL form: every view can be shared as a link and a reload
 * restores it (`?seq=4&dmodel=8&heads=2&causal=1&seed=7&lang=ko&stage=softmax`).
 */

export type Lang = 'en' | 'ko';
export type Precision = 'float64' | 'float32';

export interface ExplorerState {
  /** Sequence length T (1–16). */
  seq: number;
  /** Model width d (1–32). */
  dModel: number;
  /** Number of heads (divides d). */
  heads: number;
  /** Causal mask (ignored when `mask` is given). */
  causal: boolean;
  /** Explicit mask, T·T characters '1' (may attend) or '0', row-major; null for none. */
  mask: string | null;
  seed: number;
  dtype: Precision;
  lang: Lang;
  /** Key of the stage or composite shown. */
  stage: string;
  /** Key of the classic mistake put into a hand-derived backward, or null. */
  broken: string | null;
  /** The element of X that is nudged (flat index) and by how much. */
  nudgeIndex: number;
  delta: number;
}

/**
 * The ranges the page accepts, for its controls and for a URL alike (one source: a link the page
 * writes always reads back as the same view). |seed| ≤ 1e9, and |δ| ≤ 1: the slider's range and the
 * nudge curve's.
 */
export const LIMITS = { seq: 16, dModel: 32, seed: 1e9, delta: 1 } as const;

/** Whether `seed` is a seed the page accepts: an integer with |seed| ≤ `LIMITS.seed`. */
export function isValidSeed(seed: number): boolean {
  return Number.isSafeInteger(seed) && Math.abs(seed) <= LIMITS.seed;
}

export const DEFAULT_STATE: ExplorerState = {
  seq: 4,
  dModel: 8,
  heads: 1,
  causal: false,
  mask: null,
  seed: 0,
  dtype: 'float64',
  lang: 'en',
  stage: 'projection',
  broken: null,
  nudgeIndex: 0,
  delta: 0.1,
};

/** A URL parameter `parseState` could not use as given, what it expected and what it used instead. */
export interface RejectedParameter {
  /** The parameter's name in the URL (`seed`, `dmodel`…). */
  name: string;
  /** Its value in the URL. */
  value: string;
  /** What it must be (`an integer from -1000000000 to 1000000000`). */
  expected: string;
  /** The value used instead, as the URL would spell it. */
  used: string;
}

/** A state read from a URL, and every parameter of the URL it could not use as given. */
export interface ParsedState {
  state: ExplorerState;
  rejected: RejectedParameter[];
}

/**
 * Reads a state from a query string. A missing parameter takes its default; a parameter that is
 * malformed or out of range also takes its default (or, for heads, the largest divisor of d below
 * it) but is never dropped silently: it is listed in `rejected`, for the page to say so
 * (`rejectedMessage`). `stage` must name a registry entry and `break` a classic mistake.
 */
export function parseState(search: string): ParsedState {
  const q = new URLSearchParams(search);
  const d = DEFAULT_STATE;
  const rejected: RejectedParameter[] = [];
  const reject = (name: string, expected: string, used: string | number | null): void => {
    rejected.push({ name, value: q.get(name) ?? '', expected, used: used === null ? '(none)' : String(used) });
  };
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const value = q.get(name);
    if (value === null) return fallback;
    const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    reject(name, `an integer from ${min} to ${max}`, fallback);
    return fallback;
  };
  const choice = <T extends string>(name: string, options: readonly T[], fallback: T): T => {
    const value = q.get(name);
    if (value === null) return fallback;
    if ((options as readonly string[]).includes(value)) return value as T;
    reject(name, `one of ${options.join(', ')}`, fallback);
    return fallback;
  };
  const seq = integer('seq', 1, LIMITS.seq, d.seq);
  const dModel = integer('dmodel', 1, LIMITS.dModel, d.dModel);
  const askedHeads = integer('heads', 1, LIMITS.dModel, d.heads);
  const heads = fitHeads(askedHeads, dModel);
  if (heads !== askedHeads) reject('heads', `a divisor of d = ${dModel}`, heads);
  const rawMask = q.get('mask');
  let mask: string | null = null;
  if (rawMask !== null) {
    if (rawMask.length === seq * seq && /^[01]+$/.test(rawMask)) mask = rawMask;
    else reject('mask', `${seq * seq} characters 0 or 1 (T·T, row by row)`, null);
  }
  const causal = choice('causal', ['0', '1'], '0') === '1';
  const seed = integer('seed', -LIMITS.seed, LIMITS.seed, d.seed);
  const dtype = choice('dtype', ['float64', 'float32'] as const, d.dtype);
  const lang = choice('lang', ['en', 'ko'] as const, d.lang);
  const stage = choice(
    'stage',
    [...stages, ...composites].map((e) => e.key),
    d.stage,
  );
  const broken =
    q.get('break') === null
      ? null
      : choice(
          'break',
          mistakes.map((m) => m.key),
          '',
        ) || null;
  const nudgeIndex = integer('nudge', 0, seq * dModel - 1, d.nudgeIndex);
  const rawDelta = q.get('delta');
  let delta = d.delta;
  if (rawDelta !== null) {
    const n = rawDelta.trim() === '' ? Number.NaN : Number(rawDelta);
    if (Number.isFinite(n) && Math.abs(n) <= LIMITS.delta) delta = n;
    else reject('delta', `a number from ${-LIMITS.delta} to ${LIMITS.delta}`, d.delta);
  }
  return { state: { seq, dModel, heads, causal, mask, seed, dtype, lang, stage, broken, nudgeIndex, delta }, rejected };
}

/** What the page says about the parameters of a link it could not use (empty when there are none). */
export function rejectedMessage(rejected: readonly RejectedParameter[], lang: Lang): string {
  if (rejected.length === 0) return '';
  if (lang === 'ko') {
    const items = rejected.map((r) => `${r.name}=${r.value} → ${r.used}`);
    return `링크의 일부 매개변수가 범위를 벗어나거나 형식이 잘못되어 다른 값을 썼습니다: ${items.join('; ')}`;
  }
  const items = rejected.map((r) => `${r.name}=${r.value} (must be ${r.expected}; using ${r.used})`);
  return `This link has parameters the page cannot use, so it shows a different view: ${items.join('; ')}`;
}

/** The largest divisor of d that is ≤ heads (so that any URL gives a valid problem). */
function fitHeads(heads: number, d: number): number {
  for (let h = Math.min(heads, d); h >= 1; h--) if (d % h === 0) return h;
  return 1;
}

/** The query string of a state (defaults left out). */
export function stateToSearch(state: ExplorerState): string {
  const q = new URLSearchParams();
  q.set('seq', String(state.seq));
  q.set('dmodel', String(state.dModel));
  q.set('heads', String(state.heads));
  if (state.causal) q.set('causal', '1');
  if (state.mask !== null) q.set('mask', state.mask);
  q.set('seed', String(state.seed));
  if (state.dtype !== 'float64') q.set('dtype', state.dtype);
  q.set('lang', state.lang);
  q.set('stage', state.stage);
  if (state.broken !== null) q.set('break', state.broken);
  if (state.nudgeIndex !== 0) q.set('nudge', String(state.nudgeIndex));
  if (state.delta !== DEFAULT_STATE.delta) q.set('delta', String(state.delta));
  return `?${q.toString()}`;
}

/** The mask as T·T '0'/'1' characters: the explicit one, else causal, else all ones. */
export function maskString(state: ExplorerState): string {
  if (state.mask !== null) return state.mask;
  let out = '';
  for (let i = 0; i < state.seq; i++) for (let j = 0; j < state.seq; j++) out += !state.causal || j <= i ? '1' : '0';
  return out;
}

/**
 * What the computed view depends on (not the stage shown, the language or the nudge): two states
 * with the same key have the same values, gradients and verdicts.
 */
export function problemKey(state: ExplorerState): string {
  const { seq, dModel, heads, causal, mask, seed, dtype, broken } = state;
  return JSON.stringify([seq, dModel, heads, causal, mask, seed, dtype, broken]);
}
