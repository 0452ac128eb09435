/**
 * The derivation of an op, as data. Each op file opens with one; `attograd explain`, the docs and
 * the tests read these same objects, so the formula a learner reads is the one the code implements.
 *
 * Notation (docs/derivations.md, "Notation"): `·` is the matrix product only; `⊙` the element-wise
 * product of tensors (broadcasting); a number times a number or a tensor is written side by side
 * (`c dY`, `rstd³ (x_j − μ)`). The formulas (`definition`'s symbols, `backward`) are the same in
 * every language; the prose around them has an English and a Korean version.
 */
export interface Derivation {
  /** The op's exported name, e.g. `'softmax'`. */
  readonly op: string;
  /** What it computes, with shapes: `C = A·B, A: [..., m, k], B: [..., k, n] → C: [..., m, n]`. */
  readonly definition: string;
  /** linear: f(αx + βy) = αf(x) + βf(y) (its backward is its adjoint); bilinear: linear in each input; nonlinear otherwise; composite: built from other ops, no rule of its own. */
  readonly kind: 'linear' | 'bilinear' | 'nonlinear' | 'composite';
  /** One formula per input, in terms of dOut (the gradient flowing in) and the saved values: formulas only, no prose. */
  readonly backward: Readonly<Record<string, string>>;
  /** The chain-rule steps that lead to the backward formulas. */
  readonly steps: readonly string[];
  /** What forward keeps for backward. */
  readonly saves: string;
  /** Remarks a learner needs beside the formulas: domains, non-smooth points, conventions. */
  readonly notes?: readonly string[];
  /** The same prose in Korean: one step per English step, one note per English note. */
  readonly ko: DerivationText;
}

/** The prose of a derivation in one language (its formulas are shared). */
export interface DerivationText {
  /** `definition`, translated. */
  readonly definition: string;
  /** `steps`, translated one by one. */
  readonly steps: readonly string[];
  /** `saves`, translated. */
  readonly saves: string;
  /** `notes`, translated one by one. */
  readonly notes?: readonly string[];
}
