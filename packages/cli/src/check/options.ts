import { availableParallelism } from 'node:os';
import { OutputFileError, writableOutput } from '../output-file';
import { DEFAULT_SIZES as SIZES, parseInteger, parseNumber, UsageError } from '../usage';
import type { CheckSettings } from './types';

/**
 * The options of `attograd check` as commander hands them over (strings and booleans), and their
 * validation: every bad value is an error that names the flag and says what it accepts.
 */

/**
 * Raw option values, as typed on the command line.
 *
 * @example
 * resolveSettings({ mode: 'fast', seq: '8' } satisfies RawCheckOptions)
 */
export interface RawCheckOptions {
  mode?: string;
  eps?: string;
  atol?: string;
  rtol?: string;
  stencil?: string;
  seed?: string;
  batch?: string;
  seq?: string;
  dmodel?: string;
  heads?: string;
  secondOrder?: boolean;
  sweep?: boolean;
  workers?: string;
  timeout?: string;
  json?: boolean;
  junit?: string;
  html?: string;
}

/**
 * Default of `ATTOGRAD_PARALLEL_MIN_SECONDS`: measured on 2 cores, spreading a check whose finite
 * differences take ~0.2 s over two threads was slower than one thread (a worker thread costs
 * ~0.2 s of start-up and warm-up), and one of ~0.8 s was ~10% faster.
 */
export const PARALLEL_MIN_SECONDS = 0.5;

/**
 * Default of `--timeout`, in seconds: the longest one check may run before the run is stopped.
 * The largest built-in check takes seconds; a user's check that runs five minutes is stuck.
 */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** Default sizes of `attograd check` (see `DEFAULT_SIZES` in usage.ts for why they differ from explain's). */
export const DEFAULT_SIZES = SIZES.check;

function numberOf(flag: string, raw: string, what: string): number {
  return parseNumber('check', flag, raw, what);
}

function positive(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = numberOf(flag, raw, 'a positive number');
  if (value <= 0) throw new UsageError(`check: ${flag} must be a positive number, got '${raw}'`);
  return value;
}

function nonNegative(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = numberOf(flag, raw, 'a number ≥ 0');
  if (value < 0) throw new UsageError(`check: ${flag} must be a number ≥ 0, got '${raw}'`);
  return value;
}

function integer(flag: string, raw: string | undefined, fallback: number, minimum: number): number {
  return raw === undefined ? fallback : parseInteger('check', flag, raw, { min: minimum });
}

function oneOf<T extends string>(flag: string, raw: string | undefined, choices: readonly T[]): T {
  if (raw === undefined) return choices[0];
  if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`check: ${flag} must be ${choices.join(' or ')}, got '${raw}'`);
  return raw as T;
}

function outputFile(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return writableOutput(flag, raw);
  } catch (error) {
    if (error instanceof OutputFileError) throw new UsageError(`check: ${error.message}`);
    throw error;
  }
}

/**
 * `--workers`, at most the number of cores: more threads than cores only share the same cores
 * and each costs a start-up. `onNotice` hears when the value is lowered.
 */
function workers(raw: string | undefined, onNotice: (message: string) => void): number {
  const cores = availableParallelism();
  const requested = integer('--workers', raw, cores, 1);
  if (requested <= cores) return requested;
  onNotice(`--workers ${requested} is more than the ${cores} cores here; using ${cores}`);
  return cores;
}

/**
 * Validates the raw options and fills in the defaults; `onNotice` hears about values it changed
 * (a --workers above the core count).
 *
 * @throws UsageError naming the command and the flag, e.g. `check: --eps must be a positive number, got 'abc'`.
 * @example
 * resolveSettings({ mode: 'fast', seq: '8' }).sizes.seq // 8
 */
export function resolveSettings(raw: RawCheckOptions, onNotice: (message: string) => void = () => {}): CheckSettings {
  const seq = integer('--seq', raw.seq, DEFAULT_SIZES.seq, 1);
  const dModel = integer('--dmodel', raw.dmodel, DEFAULT_SIZES.dModel, 1);
  // Two heads by default, so multiHeadAttention really splits; one when d is odd.
  const heads = integer('--heads', raw.heads, dModel % 2 === 0 ? DEFAULT_SIZES.heads : 1, 1);
  if (dModel % heads !== 0)
    throw new UsageError(`check: --heads ${heads} must divide --dmodel ${dModel} (each head gets dmodel/heads columns)`);
  const batch = raw.batch === undefined ? undefined : integer('--batch', raw.batch, 1, 1);
  return {
    mode: oneOf('--mode', raw.mode, ['full', 'fast'] as const),
    eps: positive('--eps', raw.eps),
    atol: nonNegative('--atol', raw.atol),
    rtol: nonNegative('--rtol', raw.rtol),
    stencil: oneOf('--stencil', raw.stencil, ['central', 'five-point'] as const),
    seed: integer('--seed', raw.seed, 0, Number.MIN_SAFE_INTEGER),
    sizes: { batch, seq, dModel, heads },
    secondOrder: raw.secondOrder === true,
    sweep: raw.sweep === true,
    workers: workers(raw.workers, onNotice),
    timeout: nonNegative('--timeout', raw.timeout) ?? DEFAULT_TIMEOUT_SECONDS,
    parallelMinSeconds: nonNegative('ATTOGRAD_PARALLEL_MIN_SECONDS', process.env.ATTOGRAD_PARALLEL_MIN_SECONDS) ?? PARALLEL_MIN_SECONDS,
    json: raw.json === true,
    junit: outputFile('--junit', raw.junit),
    html: outputFile('--html', raw.html),
  };
}
