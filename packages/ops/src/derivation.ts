/**
 * The derivation of an op, as data. Each op file opens with one; `attograd explain`, the docs and
 * the tests read these same objects, so the formula a learner reads is the one the code implements.
 */
export interface Derivation {
  /** The op's exported name, e.g. `'softmax'`. */
  readonly op: string;
  /** What it computes, with shapes: `C = A·B, A: [..., m, k], B: [..., k, n] → C: [..., m, n]`. */
  readonly definition: string;
  /** linear: f(αx + βy) = αf(x) + βf(y) (its backward is its adjoint); bilinear: linear in each input; nonlinear otherwise; composite: built from other ops, no rule of its own. */
  readonly kind: 'linear' | 'bilinear' | 'nonlinear' | 'composite';
  /** One formula per input, in terms of dOut (the gradient flowing in) and the saved values. */
  readonly backward: Readonly<Record<string, string>>;
  /** The chain-rule steps that lead to the backward formulas. */
  readonly steps: readonly string[];
  /** What forward keeps for backward. */
  readonly saves: string;
}
