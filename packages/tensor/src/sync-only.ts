import { typeError } from './errors';

/**
 * noGrad, withGradMode, withLabel and detectAnomaly set a mode for the duration of a call. An
 * async function returns at its first `await`, so the mode would be restored before the rest of
 * it runs (and other code would run inside the mode meanwhile): they refuse async functions.
 */
export function checkSyncFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw typeError(op, `fn must be a function, got ${typeof fn}`);
  if (fn.constructor?.name === 'AsyncFunction') throw asyncError(op);
}

/** Throws when fn returned a promise (an async function in disguise): the mode did not cover it. */
export function checkNotPromise(op: string, result: unknown): void {
  if (typeof (result as { then?: unknown } | null)?.then === 'function') throw asyncError(op);
}

function asyncError(op: string): TypeError {
  return typeError(
    op,
    'fn is asynchronous (it returned a Promise); the mode only lasts until fn returns, which for an async ' +
      'function is its first await, so the rest would run without it. Call it with a synchronous function ' +
      '(e.g. await first, then wrap the synchronous part)',
  );
}
