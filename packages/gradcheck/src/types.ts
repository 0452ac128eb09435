import type { Tensor } from '@attograd/tensor';

/**
 * The function under test: tensors in, one tensor out. It receives the inputs in the order they
 * were given to `gradcheck` (float64 copies of float32 inputs).
 *
 * @example
 * const fn: GradcheckFn = (a, b) => matmul(a, b);
 */
export type GradcheckFn = (...inputs: Tensor[]) => Tensor;

/**
 * The finite-difference formula for one derivative, with step h:
 * - `'central'`: (f(x+h) − f(x−h)) / 2h, truncation error O(h²);
 * - `'five-point'`: (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h, truncation error O(h⁴).
 *
 * @example
 * numericalJacobian(fn, [x], { stencil: 'five-point' });
 */
export type Stencil = 'central' | 'five-point';

/**
 * `'full'` compares every Jacobian element; `'fast'` compares one random projection vᵀJu per input
 * and falls back to `'full'` only to locate a failure.
 *
 * @example
 * gradcheck(fn, [x], { mode: 'fast' });
 */
export type GradcheckMode = 'full' | 'fast';

/**
 * Options of `gradcheck`. Every field is optional; the defaults suit float64 and smooth functions.
 *
 * @example
 * gradcheck(fn, [x, w], { mode: 'fast', seed: 7, atol: 1e-7 });
 */
export interface GradcheckOptions {
  /**
   * Relative step: input element x is perturbed by h = eps·max(1, |x|). Default
   * `defaultEps(stencil, 'float64')`: `CENTRAL_EPS` (∛ε ≈ 6.1e-6, ε = 2⁻⁵²) for the central
   * stencil, `FIVE_POINT_EPS` (1e-4) for the five-point one.
   */
  eps?: number;
  /** Absolute tolerance of the pass rule |a − n| ≤ atol + rtol·|n|. Default `DEFAULT_ATOL`. */
  atol?: number;
  /** Relative tolerance of the pass rule. Default `DEFAULT_RTOL`. */
  rtol?: number;
  /** `'full'` (default) or `'fast'`. */
  mode?: GradcheckMode;
  /** `'central'` (default) or `'five-point'`. */
  stencil?: Stencil;
  /** Seed of the random directions of fast mode. Default 0. */
  seed?: number;
  /**
   * Re-evaluate only the ops a perturbed input reaches (default true): fn's graph is recorded
   * once and replayed op by op, which is used only after it reproduces fn bit for bit at the
   * point and with each input moved (see `partiallyReevaluated`); otherwise fn is called whole.
   * The numbers are the same either way; `false` always calls fn whole.
   */
  partial?: boolean;
  /**
   * Keep the compared Jacobian blocks in the report (`report.jacobians`) for every full
   * comparison (full mode, or fast mode after a failed projection). Default false.
   */
  jacobians?: boolean;
}

/**
 * The two Jacobian blocks of one checked input, both `[outputSize, inputSize]` float64
 * (J[i][j] = ∂out_i/∂in_j, flat row-major indices).
 *
 * @example
 * const { analytic, numeric } = gradcheck(fn, [x], { jacobians: true }).jacobians![0];
 */
export interface InputJacobians {
  /** Position of the input in the `inputs` array given to `gradcheck`. */
  index: number;
  /** By autograd. */
  analytic: Tensor;
  /** By finite differences. */
  numeric: Tensor;
}

/**
 * The element of an input's Jacobian that broke the pass rule by the largest factor (or, when all
 * pass, came closest to breaking it).
 *
 * @example
 * // worst = { inputIndex: [1, 0], outputIndex: [2], analytic: 0.5, numeric: 1.0 }
 * // means ∂out[2]/∂input[1, 0] is 0.5 by autograd but 1.0 by finite differences.
 */
export interface WorstElement {
  /** Multi-index of the element in the input tensor. */
  inputIndex: number[];
  /** Multi-index of the element in the output tensor. */
  outputIndex: number[];
  /** ∂out/∂in by autograd. */
  analytic: number;
  /** ∂out/∂in by finite differences. */
  numeric: number;
}

/**
 * What `gradcheck` found for one checked input.
 *
 * @example
 * const [first] = gradcheck(fn, [x]).inputs;
 * if (!first.ok) console.log(first.worst);
 */
export interface InputReport {
  /** Position of the input in the `inputs` array given to `gradcheck`. */
  index: number;
  /** The input's shape. */
  shape: number[];
  /** Every compared element passed, and nothing was non-finite. */
  ok: boolean;
  /** max |a − n| over the compared elements. */
  maxAbsError: number;
  /**
   * max |a − n| / max(|a|, |n|) over elements larger than atol (smaller ones are judged by their
   * absolute error only); 0 when there are none.
   */
  maxRelError: number;
  /** ‖a − n‖ / max(‖a‖, ‖n‖), Frobenius norms over the whole Jacobian block (0 when both are 0). */
  normRelError: number;
  /** The element that most violates the pass rule; null when there is no element to name. */
  worst: WorstElement | null;
  /** True when the comparison could not tell a right gradient from a wrong one: see the README. */
  vacuous: boolean;
  /** Why the check of this input is vacuous. */
  vacuousReason?: string;
  /** Fast mode only: the compared projections vᵀJu (analytic) and d/dt⟨v, f(x + t·u)⟩ (numeric). */
  directional?: { analytic: number; numeric: number };
}

/**
 * The result of `gradcheck`. `ok` is true only when every checked input passed, at least one of
 * them was not vacuous, and every value involved was finite.
 *
 * @example
 * const report = gradcheck(fn, [x]);
 * console.log(formatReport(report));
 */
export interface GradcheckReport {
  /** Every checked input passed, at least one check was not vacuous, and all values were finite. */
  ok: boolean;
  /** The mode used: `'full'` or `'fast'`. */
  mode: GradcheckMode;
  /** The finite-difference stencil used. */
  stencil: Stencil;
  /** The relative step used (see `GradcheckOptions.eps`). */
  eps: number;
  /** The absolute tolerance of the pass rule |a − n| ≤ atol + rtol·|n|. */
  atol: number;
  /** The relative tolerance of the pass rule. */
  rtol: number;
  /** Wall-clock duration of the check. */
  seconds: number;
  /** The shape of fn's output. */
  outputShape: number[];
  /** One report per checked input (those with `requiresGrad`), in input order. */
  inputs: InputReport[];
  /** Everything that makes the result less than a clean pass, in plain sentences. */
  warnings: string[];
  /** With `jacobians: true`, after a full comparison: one entry per checked input, in input order. */
  jacobians?: InputJacobians[];
}
