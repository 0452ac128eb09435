import type { GradcheckFn, GradcheckMode, Stencil, SweepRow, WorstElement } from '@attograd/gradcheck';
import type { Tensor } from '@attograd/tensor';

/**
 * The shared vocabulary of `attograd check`: what a check is, how a worker thread rebuilds it,
 * the settings the options resolve to, and the results every output format reads.
 */

/**
 * Problem sizes from `--batch`, `--seq`, `--dmodel`, `--heads`. No batch axis when `batch` is undefined.
 *
 * @example
 * const sizes: Sizes = { batch: undefined, seq: 4, dModel: 8, heads: 2 }; // X is [4, 8]
 */
export interface Sizes {
  batch: number | undefined;
  seq: number;
  dModel: number;
  heads: number;
}

/**
 * One concrete problem: the function under test, its inputs and a name for each input.
 *
 * @example
 * const c: CheckCase = { fn: (x) => softmax(x), inputs: [randn([2, 3], { rng: rng(0), requiresGrad: true })], inputNames: ['x'] };
 */
export interface CheckCase {
  fn: GradcheckFn;
  /** Those with `requiresGrad` are checked; the others are constants (masks, conditions). */
  inputs: Tensor[];
  inputNames: string[];
}

/**
 * How a worker thread rebuilds a check without receiving functions: a built-in is rebuilt by
 * name from its sizes and seed; a user check by re-importing its module and following `index`
 * (position in the default export, then in `stages`).
 *
 * @example
 * const source: CheckSource = { kind: 'user', path: '/abs/my-op.check.ts', index: [0] };
 */
export type CheckSource =
  | { kind: 'builtin'; name: string; sizes: Sizes; seed: number }
  | { kind: 'user'; path: string; index: readonly number[] };

/**
 * `op`: one case of an @attograd/ops function; `stage`/`composite`: the attention registries; `user`: your module.
 *
 * @example
 * results.filter((r) => r.kind === 'stage')
 */
export type CheckKind = 'op' | 'layer' | 'stage' | 'composite' | 'user';

/**
 * A check, before it runs. `build` makes fresh seeded inputs on every call.
 *
 * @example
 * const c = spec.build(); gradcheck(c.fn, c.inputs);
 */
export interface CheckSpec {
  name: string;
  kind: CheckKind;
  source: CheckSource;
  build(): CheckCase;
  /** For a composite: its stages, in order, checked one by one when the composite fails. */
  stages?: readonly CheckSpec[];
}

/**
 * Which derivative is checked. Order 2 checks the function x ↦ gradients(fn(x), [x…],
 * { gradOutput: c, createGraph: true })[gradient] for a seeded random cotangent c.
 *
 * @example
 * derivedCase(c, { order: 2, gradient: 0, seed: 0 }) // the gradient of the first checked input, as a function
 */
export type Derivative = { order: 1 } | { order: 2; gradient: number; seed: number };

/**
 * Everything the options resolve to.
 *
 * @example
 * resolveSettings({ mode: 'fast' }).workers // the core count
 */
export interface CheckSettings {
  mode: GradcheckMode;
  /** undefined: gradcheck's default step for the stencil. */
  eps: number | undefined;
  atol: number | undefined;
  rtol: number | undefined;
  stencil: Stencil;
  seed: number;
  sizes: Sizes;
  secondOrder: boolean;
  sweep: boolean;
  workers: number;
  /** Seconds one check (or the loading of one module) may take before the run is stopped; 0: no limit. */
  timeout: number;
  /**
   * A full-mode check is spread over the threads only when its finite differences are estimated
   * to take at least this long (a worker thread's start and warm-up cost about 0.2 s of CPU).
   */
  parallelMinSeconds: number;
  json: boolean;
  junit: string | undefined;
  html: string | undefined;
}

/**
 * `zero` (second order only): both methods agree the second derivative with respect to this input
 * is identically ~0, as it is for the input of a linear op; it neither passes nor fails the check.
 *
 * @example
 * result.inputs.filter((i) => i.status === 'fail')
 */
export type InputStatus = 'pass' | 'fail' | 'vacuous' | 'zero';

/**
 * One checked input of one check.
 *
 * @example
 * // { index: 0, name: 'a', shape: [3, 3], status: 'fail', maxAbsError: 1.8, …, worst: { inputIndex: [1, 0], outputIndex: [1, 2], analytic: 1.77, numeric: -0.036 } }
 */
export interface InputResult {
  index: number;
  name: string;
  shape: number[];
  status: InputStatus;
  maxAbsError: number;
  maxRelError: number;
  normRelError: number;
  /** The element that most violates the pass rule (full mode, or fast mode after a failure). */
  worst: WorstElement | null;
  /** Fast mode: the compared projections vᵀJu. */
  directional?: { analytic: number; numeric: number };
  vacuousReason?: string;
  /** analytic − numeric Jacobian block [outputSize, inputSize], kept for the HTML report of a failure. */
  errorMatrix?: Tensor;
}

/**
 * `vacuous`: nothing failed but the comparison could not tell a right gradient from a wrong one;
 * not a pass. `skip`: nothing to check (a second derivative that is identically zero).
 * `error`: the check could not run (fn or backward threw).
 *
 * @example
 * countStatuses(results).vacuous
 */
export type CheckStatus = 'pass' | 'fail' | 'vacuous' | 'skip' | 'error';

/**
 * Where a failing composite first goes wrong.
 *
 * @example
 * // { stage: 'double', status: 'fail', input: 'x', worst: { inputIndex: [0, 0], … } }
 */
export interface StageFailure {
  /** The first stage (in order) whose own check does not pass; null when every stage passes alone. */
  stage: string | null;
  status: CheckStatus | null;
  /** The worst input of that stage, and its element. */
  input?: string;
  worst?: WorstElement | null;
}

/**
 * The result of one check.
 *
 * @example
 * const failed = report.results.filter((r) => r.status === 'fail').map(checkLabel);
 */
export interface CheckResult {
  name: string;
  kind: CheckKind;
  /** 1, or 2 for `--second-order`. */
  order: 1 | 2;
  /** Order 2: the input whose gradient is differentiated. */
  gradientOf?: string;
  status: CheckStatus;
  mode: GradcheckMode;
  seconds: number;
  outputShape: number[];
  inputs: InputResult[];
  warnings: string[];
  /** Threads that computed the finite-difference columns (1: this thread). */
  workers: number;
  /** Set when a composite does not pass. */
  firstFailingStage?: StageFailure;
  /** Why the check is an error or a skip. */
  message?: string;
  /** `--sweep`: error against step size. */
  sweep?: SweepRow[];
}

/**
 * A whole run.
 *
 * @example
 * process.stdout.write(toJson(await runAll(specs, settings)));
 */
export interface RunReport {
  settings: CheckSettings;
  results: CheckResult[];
  seconds: number;
}
