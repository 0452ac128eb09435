/**
 * The command line's shared vocabulary: exit statuses, the one error for bad usage, the one
 * parser of numeric option values, and the default problem sizes of both commands. Imported by
 * main.ts and by each command (never the other way round: no import cycle through main.ts).
 */

/**
 * Exit statuses: 0 all passed; 1 a check failed; 2 bad usage, a module that cannot be loaded or
 * an output file that cannot be written; 3 the run did not complete (a check outlasted
 * --timeout, the run was killed, or Node ran out of work while the run was still pending).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, incomplete: 3 } as const;

/**
 * An error in how the command was called: printed without a stack, exit status 2. Its message
 * starts with the command (`check: --eps must be a positive number, got 'abc'`).
 *
 * @example
 * throw new UsageError("explain: --lang must be one of en, ko, got 'fr'");
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The value of a numeric option: a finite number, or a UsageError `COMMAND: FLAG must be WHAT, got 'RAW'`.
 *
 * @example
 * parseNumber('check', '--atol', '1e-6', 'a number ≥ 0') // 1e-6
 */
export function parseNumber(command: string, flag: string, raw: string, what: string): number {
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`${command}: ${flag} must be ${what}, got '${raw}'`);
  return value;
}

/**
 * The value of an integer option in [min, max]: 'a positive integer' (min 1), 'an integer', or
 * 'an integer from MIN to MAX' in the message when it is not.
 *
 * @example
 * parseInteger('explain', '--seq', '3', { min: 1, max: 16 }) // 3
 */
export function parseInteger(command: string, flag: string, raw: string, range: { min: number; max?: number }): number {
  const { min, max } = range;
  const what = max !== undefined ? `an integer from ${min} to ${max}` : min === 1 ? 'a positive integer' : 'an integer';
  const value = parseNumber(command, flag, raw, what);
  if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new UsageError(`${command}: ${flag} must be ${what}, got '${raw}'`);
  }
  return value;
}

/**
 * Default problem sizes. They differ between the commands on purpose: `check` defaults to two
 * heads (d = 8, T = 4) so that multi-head attention really splits and every check still takes
 * well under a second; `explain` prints every matrix of its example, so it defaults to what fits
 * on a screen and reads by eye (T = 3, d = 4, one head).
 */
export const DEFAULT_SIZES = {
  check: { seq: 4, dModel: 8, heads: 2 },
  explain: { seq: 3, dModel: 4, heads: 1 },
} as const;
