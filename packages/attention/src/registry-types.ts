import type { Tensor } from '@attograd/tensor';

/** Text in English and Korean. */
export interface Bilingual<T> {
  /** English. */
  en: T;
  /** Korean. */
  ko: T;
}

/** The seed document's three questions about a stage: what it does, why, and what comes out. */
export interface Explanation {
  /** What the stage computes. */
  what: string;
  /** Why self-attention needs it. */
  why: string;
  /** What comes out, and what it means. */
  result: string;
}

/**
 * Sizes for `makeInputs`. Without `batch` the inputs have no batch axis ([T, d]); with it they
 * are [batch, T, d]. `heads` (default 1) must divide `dModel`; stages 1–4 then get a head axis
 * and d_k = dModel/heads. `causal` adds a causal `mask` constant where a mask is used.
 */
export interface InputSizes {
  /** Size of a leading batch axis; absent for none. */
  batch?: number;
  /** Sequence length T. */
  seq: number;
  /** Model width d. */
  dModel: number;
  /** Number of heads (must divide dModel). Default 1. */
  heads?: number;
  /** Seed of the generator the inputs are drawn from. Default 0. */
  seed?: number;
  /** Add a causal mask constant (query i sees keys j ≤ i) where the entry takes a mask. */
  causal?: boolean;
}

/**
 * Named tensors for a registry entry: the differentiable inputs (`inputNames`, created with
 * requiresGrad) and the constants (`constantNames`, no gradient: `mask` with 1 = may attend,
 * `dK` and `heads` as one-element tensors).
 */
export type StageInputs = Readonly<Record<string, Tensor>>;

/**
 * One function of the attention package, described for tools, tests and docs: its formulas,
 * explanation, a seeded input maker, the function itself and its hand-derived backward.
 */
export interface RegistryEntry {
  /** Stable identifier, also the label its ops carry: 'projection', 'softmax', 'selfAttention', … */
  key: string;
  /** A short title, in English and Korean. */
  title: Bilingual<string>;
  /** What, why and what comes out, in English and Korean. */
  explanation: Bilingual<Explanation>;
  /** The forward formula, with shapes: a formula only, the same in every language (prose goes in `notes`). */
  forward: string;
  /** One backward formula per input name; the left side names the gradient (`dX_res = …`). Formulas only. */
  backward: Readonly<Record<string, string>>;
  /** Names of the @attograd/ops ops whose `derivations` this uses. */
  ops: readonly string[];
  /**
   * How each op's own symbols read in this entry (softmax's x, y are Ŝ_i, P_i; scale's c is
   * 1/√d_k), by op name. An op absent here already uses the entry's names.
   */
  opSymbols?: Readonly<Record<string, Bilingual<string>>>;
  /** Derivation steps of the entry itself, after its ops' rules (stage 1: B = Kᵀ and the transpose back). */
  steps?: Bilingual<readonly string[]>;
  /** What a learner needs beside the formulas: conventions, mask polarity, layouts, exactness. */
  notes?: Bilingual<readonly string[]>;
  /** The differentiable inputs, in the order `run` and gradient tools use them. */
  inputNames: readonly string[];
  /** Inputs that only configure the computation (no gradient); each may be absent. */
  constantNames: readonly string[];
  /** Seeded random inputs for the given sizes (weights scaled by 1/√d). */
  makeInputs(sizes: InputSizes): StageInputs;
  /** The forward pass with autograd (ops recorded, labelled by stage). */
  run(inputs: StageInputs): Tensor;
  /** The hand-derived gradient of each input in `inputNames`, given dOut (no autograd). */
  manualBackward(inputs: StageInputs, dOut: Tensor): Record<string, Tensor>;
}

/**
 * The values of one recorded forward pass of the attention block, by name: the leaves (`x`, `wq`,
 * `wo`, `gamma`, …), every intermediate (`q`, `qHeads`, `s`, `sHat`, `p`, `zHeads`, `z`, `y`) and the
 * constants (`dK`, `mask`). Stages take their inputs from it (`Stage.fromRun`).
 */
export type RecordedRun = Readonly<Record<string, Tensor>>;

/**
 * A stage of self-attention. The six of the seed document are numbered 0–5; the output projection
 * of multi-head attention, which the seed document leaves out, is 6 (it runs between 4 and 5).
 */
export interface Stage extends RegistryEntry {
  /** The stage's number: 0 (projection) to 5 (residual + layer norm) as in the seed document; 6 for W_o. */
  id: number;
  /** How each input and output is printed (`sHat` → Ŝ, `qHeads` → Q_heads). */
  display: Readonly<Record<string, string>>;
  /**
   * The names of the outputs, which are also their names in a recorded run. Several outputs
   * (projection: q, k, v) are stacked by `run`; `splitOutput` undoes that and `joinOutputs` stacks
   * their gradients.
   */
  outputNames: readonly string[];
  /** Where each input (differentiable or constant) comes from in a recorded run: input name → run name; absent = same name. */
  fromRun?: Readonly<Record<string, string>>;
  /** `run`'s output cut into `outputNames` (default: the output itself). */
  splitOutput?(output: Tensor): Tensor[];
  /** The gradients of the outputs made into one dOut for `run`'s output (default: the one gradient). */
  joinOutputs?(gradients: readonly Tensor[]): Tensor;
}

/** A composition of stages. */
export interface Composite extends RegistryEntry {
  /** The keys of the stages it runs, in order. */
  stageKeys: readonly string[];
}
