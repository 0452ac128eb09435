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

export const LIMITS = { seq: 16, dModel: 32 } as const;

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

function integer(value: string | null, min: number, max: number, fallback: number): number {
  if (value === null || !/^-?\d+$/.test(value)) return fallback;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : fallback;
}

/** The largest divisor of d that is ≤ heads (so that any URL gives a valid problem). */
function fitHeads(heads: number, d: number): number {
  for (let h = Math.min(heads, d); h >= 1; h--) if (d % h === 0) return h;
  return 1;
}

/** Reads a state from a query string; anything missing or out of range takes its default. */
export function parseState(search: string): ExplorerState {
  const q = new URLSearchParams(search);
  const d = DEFAULT_STATE;
  const seq = integer(q.get('seq'), 1, LIMITS.seq, d.seq);
  const dModel = integer(q.get('dmodel'), 1, LIMITS.dModel, d.dModel);
  const rawMask = q.get('mask');
  const mask = rawMask !== null && rawMask.length === seq * seq && /^[01]+$/.test(rawMask) ? rawMask : null;
  const delta = Number(q.get('delta'));
  return {
    seq,
    dModel,
    heads: fitHeads(integer(q.get('heads'), 1, LIMITS.dModel, d.heads), dModel),
    causal: q.get('causal') === '1',
    mask,
    seed: integer(q.get('seed'), -1e9, 1e9, d.seed),
    dtype: q.get('dtype') === 'float32' ? 'float32' : 'float64',
    lang: q.get('lang') === 'ko' ? 'ko' : 'en',
    stage: q.get('stage') ?? d.stage,
    broken: q.get('break'),
    nudgeIndex: integer(q.get('nudge'), 0, seq * dModel - 1, 0),
    delta: q.has('delta') && Number.isFinite(delta) && Math.abs(delta) <= 10 ? delta : d.delta,
  };
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
