import { describe, rangeError, typeError, type DType } from '@attograd/tensor';
import type { GradcheckMode, Stencil } from './types';

/**
 * Default relative step of the central stencil: ∛ε ≈ 6.06e-6 (ε = 2⁻⁵²). Truncation error grows
 * like h²·|f‴|/6 and round-off like ε·|f|/h; their sum is smallest at h ≈ ∛(3ε) ~ ∛ε.
 *
 * @example
 * numericalJacobian(fn, [x], { eps: CENTRAL_EPS }); // the default, spelled out
 */
export const CENTRAL_EPS = Math.cbrt(Number.EPSILON);

/**
 * Default relative step of the five-point stencil: 1e-4. Its error is about (h/L)⁴/30 (truncation,
 * for a function that varies on a length scale L) plus 1.5·ε·|f|/h (round-off), smallest near
 * h ≈ 1.3e-3·L: the textbook ε^(1/5) ≈ 7e-4 for L = 1. But the error grows like h⁴ above that
 * optimum and only like 1/h below it, and the scale-aware step assumes L ≈ max(1, |x|), which
 * fast-varying functions break: at 7.4e-4, sin(x³) with |x| ≈ 3 (L ≈ 0.04) is off by 6e-6, failing
 * a correct gradient, while at 1e-4 its error is 4e-13 and round-off stays below 1e-9 for outputs
 * up to 1e3 (measured by `scripts/measure-tolerances.ts`). So the default sits 10× below the
 * textbook step, where being wrong about L is cheap.
 *
 * @example
 * numericalJacobian(fn, [x], { stencil: 'five-point', eps: FIVE_POINT_EPS });
 */
export const FIVE_POINT_EPS = 1e-4;

/**
 * Default absolute tolerance (float64). The pass rule is |a − n| ≤ atol + rtol·|n| per element.
 *
 * Chosen by measurement (`scripts/measure-tolerances.ts`: 14 smooth functions × 20 seeds, full
 * Jacobians, central stencil at the default step). Correct gradients of ordinary functions
 * (polynomials, exp, log, tanh, 1/(1+x²), matmul chains, softmax with a random cotangent, a
 * single-head attention) use at most 1% of the tolerance atol + rtol·|n| at any element
 * (|a − n| ≤ 4e-10). Stress cases use more: outputs near 1e3 (x + 1000: round-off ε·|f|/h ≈
 * 7e-9 absolute, 7% of the tolerance) and fast-varying functions (sin(20x): 22%; sin(x³) with
 * |x| ≈ 3, whose derivatives grow like x⁶: 45%, from truncation h²·f‴/6); they still pass, and
 * the five-point stencil brings them under 8%. Wrong gradients (a missing factor 2, a transposed
 * matmul, a backward that forgets an input) exceed the tolerance by at least 4.8e6×. So atol =
 * 1e-8 and rtol = 1e-7 sit between the two populations with a wide margin on the wrong side and
 * an adequate one on the right side; PyTorch's 1e-5 / 1e-3 would let a 0.1% error through.
 * Outputs beyond ~1e3 or functions varying on scales below |x|/100 may need a larger atol or the
 * five-point stencil; when such a check fails, gradcheck says so in a warning.
 *
 * @example
 * gradcheck(fn, [x], { atol: DEFAULT_ATOL * 10 });
 */
export const DEFAULT_ATOL = 1e-8;

/**
 * Default relative tolerance (float64); see `DEFAULT_ATOL` for the measurements behind both.
 *
 * @example
 * gradcheck(fn, [x], { rtol: DEFAULT_RTOL });
 */
export const DEFAULT_RTOL = 1e-7;

/**
 * Default relative steps for float32 values (ε = 2⁻²³): ∛ε ≈ 4.9e-3 central, 1e-2 five-point (the
 * same reasoning as for float64, with the larger round-off). gradcheck itself always works in
 * float64 (float32 inputs are upcast); these serve finite differences taken in float32.
 */
export const FLOAT32_CENTRAL_EPS = Math.cbrt(2 ** -23);
/** The five-point step for finite differences taken in float32 (see above). */
export const FLOAT32_FIVE_POINT_EPS = 1e-2;

/**
 * Every option after defaults are applied (what `resolveOptions` returns).
 *
 * @example
 * const { eps, atol } = resolveOptions('myCheck', { stencil: 'five-point' }, ['stencil', 'eps', 'atol']);
 */
export interface Settings {
  /** The finite-difference step. */
  eps: number;
  /** Absolute tolerance of the verdict |a − n| ≤ atol + rtol·|n|. */
  atol: number;
  /** Relative tolerance of the verdict. */
  rtol: number;
  /** Whole Jacobian (`full`) or one random direction (`fast`). */
  mode: GradcheckMode;
  /** Central or five-point differences. */
  stencil: Stencil;
  /** Seed of the random directions and cotangents. */
  seed: number;
  /** First input element checked (for splitting a check into ranges). */
  from: number;
  /** One past the last input element checked. */
  to: number;
  /** Whether finite differences re-evaluate only the part of the graph a change reaches. */
  partial: boolean;
  /** Whether the report carries both Jacobians. */
  jacobians: boolean;
}

/** The name of an option `resolveOptions` knows. */
export type OptionName = keyof Settings;

const MODES: readonly GradcheckMode[] = ['full', 'fast'];
const STENCILS: readonly Stencil[] = ['central', 'five-point'];

/**
 * The default relative step of a stencil for values of a dtype: `CENTRAL_EPS`, `FIVE_POINT_EPS`
 * (float64) or `FLOAT32_CENTRAL_EPS`, `FLOAT32_FIVE_POINT_EPS`.
 *
 * @example
 * defaultEps('five-point') // 1e-4
 */
export function defaultEps(stencil: Stencil, dtype: DType = 'float64'): number {
  if (dtype === 'float32') return stencil === 'central' ? FLOAT32_CENTRAL_EPS : FLOAT32_FIVE_POINT_EPS;
  return stencil === 'central' ? CENTRAL_EPS : FIVE_POINT_EPS;
}

/**
 * Every option's default, for help texts and documentation.
 *
 * @example
 * DEFAULTS.atol // 1e-8
 */
export const DEFAULTS = {
  mode: 'full',
  stencil: 'central',
  atol: DEFAULT_ATOL,
  rtol: DEFAULT_RTOL,
  seed: 0,
  from: 1e-1,
  to: 1e-10,
  partial: true,
  jacobians: false,
} as const;

/**
 * Checks `options` (only the `allowed` names) and fills in the defaults. Throws a TypeError for a
 * value of the wrong type or an unknown option, a RangeError for a value out of range, each
 * naming `op` and the option.
 *
 * @example
 * resolveOptions('gradcheck', { mode: 'fast' }, ['mode', 'eps']).eps // CENTRAL_EPS
 */
export function resolveOptions(op: string, options: unknown, allowed: readonly OptionName[]): Settings {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(op, `options must be an object, got ${describe(options)}`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw typeError(op, `unknown option '${key}' (known: ${allowed.join(', ')})`);
    }
  }
  const stencil = oneOf(op, 'stencil', given.stencil, STENCILS, DEFAULTS.stencil);
  const settings: Settings = {
    stencil,
    mode: oneOf(op, 'mode', given.mode, MODES, DEFAULTS.mode),
    eps: positive(op, 'eps', given.eps, defaultEps(stencil)),
    atol: nonNegative(op, 'atol', given.atol, DEFAULTS.atol),
    rtol: nonNegative(op, 'rtol', given.rtol, DEFAULTS.rtol),
    seed: integer(op, 'seed', given.seed, DEFAULTS.seed),
    from: positive(op, 'from', given.from, DEFAULTS.from),
    to: positive(op, 'to', given.to, DEFAULTS.to),
    partial: boolean(op, 'partial', given.partial, DEFAULTS.partial),
    jacobians: boolean(op, 'jacobians', given.jacobians, DEFAULTS.jacobians),
  };
  if (settings.to > settings.from) {
    throw rangeError(op, `from (${settings.from}) must be at least to (${settings.to}): the sweep runs from large steps to small`);
  }
  return settings;
}

function number(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(op, `${name} must be a number, got ${describe(value)}`);
  return value;
}

function positive(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const x = number(op, name, value);
  if (!Number.isFinite(x) || x <= 0) throw rangeError(op, `${name} must be a finite number > 0, got ${x}`);
  return x;
}

function nonNegative(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const x = number(op, name, value);
  if (!Number.isFinite(x) || x < 0) throw rangeError(op, `${name} must be a finite number ≥ 0, got ${x}`);
  return x;
}

function integer(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const x = number(op, name, value);
  if (!Number.isInteger(x)) throw typeError(op, `${name} must be an integer, got ${x}`);
  return x;
}

function boolean(op: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(op, `${name} must be true or false, got ${describe(value)}`);
  return value;
}

function oneOf<T extends string>(op: string, name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(value)) {
    const list = choices.map((choice) => `'${choice}'`).join(' or ');
    throw rangeError(op, `${name} must be ${list}, got ${describe(value)}`);
  }
  return value as T;
}
