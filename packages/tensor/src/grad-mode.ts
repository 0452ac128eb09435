import { checkNotPromise, checkSyncFunction } from './sync-only';

/**
 * Whether ops record the graph. Recording is on by default; `noGrad` turns it off for a call,
 * and the backward driver turns it off while it runs gradient rules unless a graph of the
 * gradients is asked for (`createGraph`), which is what keeps first-order backward fast.
 */
let gradEnabled = true;

/**
 * Whether ops are recording the graph right now (false inside `noGrad`).
 *
 * @example
 * noGrad(() => isGradEnabled()) // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Sets recording on or off and returns the previous setting, for the op machinery, which restores
 * it in a `finally` (no closure per op call). Internal: not exported from the package.
 */
export function setGradEnabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}

/**
 * Runs `fn` with recording set to `enabled`, restoring the previous mode afterwards.
 *
 * @example
 * withGradMode(true, () => mul(x, x)) // recorded, even inside noGrad
 */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  return runWithGradMode('withGradMode', enabled, fn);
}

function runWithGradMode<T>(op: string, enabled: boolean, fn: () => T): T {
  checkSyncFunction(op, fn);
  const previous = gradEnabled;
  gradEnabled = enabled;
  let result: T;
  try {
    result = fn();
  } finally {
    gradEnabled = previous;
  }
  checkNotPromise(op, result);
  return result;
}

/**
 * Runs `fn` without recording any op: its results do not require gradients. `fn` must be
 * synchronous (an async function throws a TypeError: the mode would end at its first await).
 *
 * @example
 * const prediction = noGrad(() => selfAttention(x, weights)); // no graph kept
 */
export function noGrad<T>(fn: () => T): T {
  return runWithGradMode('noGrad', false, fn);
}
