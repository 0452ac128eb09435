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
 * Runs `fn` with recording set to `enabled`, restoring the previous mode afterwards.
 *
 * @example
 * withGradMode(true, () => mul(x, x)) // recorded, even inside noGrad
 */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording any op: its results do not require gradients.
 *
 * @example
 * const prediction = noGrad(() => selfAttention(x, weights)); // no graph kept
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}
