import { checkInteger, describe, rangeError, typeError } from '@attograd/tensor';

/**
 * Argument checks shared by the optimizers and schedules. Every message starts with the class
 * that was misused and names the argument and the value, e.g.
 * `Adam: betas[1] must be in [0, 1), got number 1` — and is thrown before anything is changed.
 */

/** A finite number ≥ 0 (a learning rate, a weight decay, an epsilon, a momentum). */
export function checkNonNegative(owner: string, argument: string, value: unknown): asserts value is number {
  checkNumber(owner, argument, value);
  if (!(value >= 0) || value === Infinity) throw rangeError(owner, `${argument} must be a finite number ≥ 0, got ${value}`);
}

/** Any finite number. */
export function checkFinite(owner: string, argument: string, value: unknown): asserts value is number {
  checkNumber(owner, argument, value);
  if (!Number.isFinite(value)) throw rangeError(owner, `${argument} must be a finite number, got ${value}`);
}

/** A number in [0, 1) (a decay rate such as Adam's betas). */
export function checkUnitInterval(owner: string, argument: string, value: unknown): asserts value is number {
  checkNumber(owner, argument, value);
  if (!(value >= 0 && value < 1)) throw rangeError(owner, `${argument} must be in [0, 1), got ${value}`);
}

/**
 * An integer ≥ `min` (a period, a number of steps): tensor's check, shared with the layers (a
 * TypeError when it is not a number, a RangeError when it is not an integer ≥ min).
 */
export { checkInteger };

export function checkBoolean(owner: string, argument: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw typeError(owner, `${argument} must be true or false, got ${describe(value)}`);
}

function checkNumber(owner: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw typeError(owner, `${argument} must be a number, got ${describe(value)}`);
}

/** Rejects option names the optimizer does not know (a typo such as `weight_decay` would otherwise be ignored). */
export function checkKnownKeys(owner: string, what: string, object: object, known: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw typeError(owner, `unknown option '${key}' in ${what}; the options are ${known.map((k) => `'${k}'`).join(', ')}`);
    }
  }
}
