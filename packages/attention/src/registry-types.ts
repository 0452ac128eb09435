import type { Tensor } from '@attograd/tensor';
import type { BlockTrace, BlockValues } from './block-trace';

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
  /** The forward formula, with shapes. */
  forward: string;
  /** One backward formula per input name. */
  backward: Readonly<Record<string, string>>;
  /** Names of the @attograd/ops ops whose `derivations` this uses. */
  ops: readonly string[];
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

/** A stage of self-attention, numbered as in the seed document (0–5). */
export interface Stage extends RegistryEntry {
  /** The stage's number, 0 (projection) to 5 (residual + layer norm). */
  id: number;
  /** This stage's inputs (differentiable and constant) as a recorded block pass computed them (`traceBlock`). */
  traceInputs(trace: BlockTrace): StageInputs;
  /** This stage's output among the named values of a pass — or, given `blockGradients`, its upstream gradient dOut. */
  traceOutput(values: BlockValues): Tensor;
}

/** A composition of stages. */
export interface Composite extends RegistryEntry {
  /** The stages it runs, in order. */
  stageIds: readonly number[];
}
