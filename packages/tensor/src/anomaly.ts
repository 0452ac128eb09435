import { formatShape } from './errors';
import { checkNotPromise, checkSyncFunction } from './sync-only';
import { unravelIndex } from './shape';
import type { Tensor } from './tensor';

/**
 * Anomaly detection: while it is on, every recorded op checks its output, and every gradient rule
 * its gradients, for NaN and ±Infinity. The first op that turns finite values into non-finite
 * ones throws an AnomalyError naming it, its stage label, and the inputs that produced it.
 */
let anomalyMode = false;

/**
 * Whether anomaly detection is on (inside `detectAnomaly`).
 *
 * @example
 * detectAnomaly(() => isAnomalyDetectionEnabled()) // true
 */
export function isAnomalyDetectionEnabled(): boolean {
  return anomalyMode;
}

/**
 * Runs `fn` (typically a forward pass and its backward) with anomaly detection on. It costs one
 * scan of every output and gradient, so leave it off in normal runs.
 *
 * @example
 * detectAnomaly(() => {
 *   const y = selfAttention(x, weights);
 *   y.backward(cotangent);
 * }); // throws AnomalyError: forward: 'div' (stage …) produced NaN at [0, 2] from finite inputs …
 */
export function detectAnomaly<T>(fn: () => T): T {
  checkSyncFunction('detectAnomaly', fn);
  const previous = anomalyMode;
  anomalyMode = true;
  let result: T;
  try {
    result = fn();
  } finally {
    anomalyMode = previous;
  }
  checkNotPromise('detectAnomaly', result);
  return result;
}

/**
 * Thrown by detectAnomaly: which op, in which stage, in which pass, and from which inputs.
 *
 * @example
 * try {
 *   detectAnomaly(() => log(neg(ones([2], { requiresGrad: true }))).backward(ones([2])));
 * } catch (error) {
 *   if (error instanceof AnomalyError) console.log(error.op, error.phase); // 'log' 'forward'
 * }
 */
export class AnomalyError extends Error {
  /** Always `'AnomalyError'`. */
  override name = 'AnomalyError';
  constructor(
    message: string,
    /** The op's name. */
    readonly op: string,
    /** The stage (or other label) the op was recorded under, if any. */
    readonly label: string | undefined,
    /** 'forward' when the op's output is non-finite, 'backward' when its gradient rule's is. */
    readonly phase: 'forward' | 'backward',
    /** The tensors that went in: the op's inputs (forward) or the incoming gradient (backward). */
    readonly inputs: readonly Tensor[],
  ) {
    super(message);
  }
}

/** The index of the first NaN or ±Infinity in t, or -1. */
export function firstNonFinite(t: Tensor): number {
  const data = t.data;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** The gradient rule running right now (set by the backward driver while anomaly detection is on). */
let runningRule: { op: string; label: string | undefined } | null = null;

/**
 * Runs a gradient rule of `op` so that an anomaly raised by an op inside it (sqrt's rule divides
 * by 2√x) is reported as coming from `op`'s backward, not from a forward 'div'.
 */
export function inBackwardOf<T>(op: string, label: string | undefined, fn: () => T): T {
  const previous = runningRule;
  runningRule = { op, label };
  try {
    return fn();
  } finally {
    runningRule = previous;
  }
}

/** Throws an AnomalyError when `produced` holds a non-finite value although every source is finite. */
export function checkAnomaly(
  phase: 'forward' | 'backward',
  op: string,
  label: string | undefined,
  sources: readonly Tensor[],
  produced: Tensor,
  producedName: string,
): void {
  const bad = firstNonFinite(produced);
  if (bad < 0 || sources.some((source) => firstNonFinite(source) >= 0)) return;
  const value = produced.data[bad];
  const sourceText = sources.map((source) => `${source.name ?? 'tensor'} ${formatShape(source.shape)}`).join(', ');
  const at = `${formatShape(produced.shape)} at ${formatShape(unravelIndex(bad, produced.shape))}`;
  const rule = runningRule;
  if (phase === 'forward' && rule !== null) {
    // An op called by a gradient rule: the anomaly belongs to that rule's backward.
    const where = rule.label === undefined ? '' : ` (stage ${rule.label})`;
    throw new AnomalyError(
      `backward: the gradient rule of '${rule.op}'${where} produced ${value} (in its '${op}' step) in ${producedName} ${at} ` +
        `from finite inputs ${sourceText}`,
      rule.op,
      rule.label,
      'backward',
      sources,
    );
  }
  const where = label === undefined ? '' : ` (stage ${label})`;
  throw new AnomalyError(
    `${phase}: '${op}'${where} produced ${value} in ${producedName} ${at} ` +
      `from finite ${phase === 'forward' ? 'inputs' : 'gradient'} ${sourceText}`,
    op,
    label,
    phase,
    sources,
  );
}
