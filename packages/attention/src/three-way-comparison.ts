import { type Difference, difference, largestDifference, numericalVjp } from '@attograd/gradcheck';
import { describe, gradients, noGrad, randn, rng, Tensor, typeError } from '@attograd/tensor';
import type { RegistryEntry, StageInputs } from './registry-types';

/**
 * Three independent answers to "what is the gradient?" put side by side: the hand-derived
 * formula, reverse-mode autograd, and finite differences. They share nothing but the forward
 * pass, so their agreement is evidence that each is right. The finite differences are
 * @attograd/gradcheck's (`numericalVjp`: the same step rule and stencil as every other check);
 * only the quantity a learner needs is estimated: the gradient of the scalar ⟨f(x), c⟩ for the
 * one cotangent c, one central difference per input element (2 forward passes each).
 */

/** (f at the input with one element moved) → the scalar the difference quotient is taken of. */
export type RunFunction = (inputs: StageInputs) => Tensor;

/**
 * The gradient of ⟨run(inputs), cotangent⟩ with respect to `inputs[name]` by central differences,
 * through @attograd/gradcheck's `numericalVjp`: g_i = Σ_o c_o (f_o(x + h e_i) − f_o(x − h e_i)) / 2h
 * with h = relativeStep·max(1, |x_i|), default `CENTRAL_EPS` = ∛ε ≈ 6.1e-6 (the step that balances
 * truncation and round-off error in float64). Runs without recording; the inputs are not modified.
 * A float32 input is differentiated in float64: it and every other float32 input and constant are
 * upcast, so the quotient sees no float32 round-off.
 *
 * @throws TypeError when inputs[name] is not a Tensor; RangeError when the cotangent's shape
 * differs from the output's.
 * @example
 * const dX = numericalGradient((i) => selfAttention(i.x, i), inputs, 'x', cotangent);
 */
export function numericalGradient(
  run: RunFunction,
  inputs: StageInputs,
  name: string,
  cotangent: Tensor,
  options: { relativeStep?: number } = {},
): Tensor {
  const original = inputs[name];
  if (!(original instanceof Tensor)) throw typeError('numericalGradient', `inputs.${name} must be a Tensor, got ${describe(original)}`);
  // A copy: the caller's tensor is neither perturbed nor replaced.
  const moved = new Tensor(original.data.slice(), original.shape);
  // gradcheck differentiates a float32 input on a float64 copy; the other float32 inputs and
  // constants follow it, so that the whole entry runs in float64 (ops refuse mixed dtypes).
  const others: Record<string, Tensor> = { ...inputs };
  if (original.dtype === 'float32') {
    for (const [other, value] of Object.entries(inputs))
      if (value instanceof Tensor && value.dtype === 'float32') others[other] = value.to('float64');
  }
  const fn = (x: Tensor): Tensor => run({ ...others, [name]: x });
  return numericalVjp(fn, [moved], 0, cotangent, options.relativeStep === undefined ? {} : { eps: options.relativeStep });
}

/** How far apart two gradients are, and how it is measured: @attograd/gradcheck's, re-exported here. */
export { difference, type Difference };

/** The three gradients of one input and their pairwise differences. */
export interface GradientComparison {
  /** The input's name, as in the entry's `inputNames`. */
  name: string;
  /** The input's shape (and so each gradient's). */
  shape: readonly number[];
  /** The gradient by the hand-derived formula (`manualBackward`). */
  manual: Tensor;
  /** The gradient by reverse-mode autograd (`gradients`). */
  autograd: Tensor;
  /** The gradient by central finite differences. */
  numeric: Tensor;
  /** How far the hand-derived gradient is from autograd's. */
  manualVsAutograd: Difference;
  /** How far the hand-derived gradient is from the finite differences. */
  manualVsNumeric: Difference;
  /** How far autograd's gradient is from the finite differences. */
  autogradVsNumeric: Difference;
}

/** What `compareThreeWays` returns. */
export interface ThreeWayComparison {
  /** The registry entry's key, e.g. `'softmax'`. */
  key: string;
  /** The forward result. */
  output: Tensor;
  /** The seeded random cotangent c: every gradient is of the scalar ⟨output, c⟩. */
  cotangent: Tensor;
  /** One comparison per differentiable input, in `inputNames` order. */
  gradients: GradientComparison[];
  /** The largest `relative` difference of any pair for any input. */
  maxRelative: number;
}

/** Options of `compareThreeWays`. */
export interface CompareOptions {
  /** Seed of the random cotangent. Default 0. */
  seed?: number;
  /**
   * A given cotangent (dOut) instead of a seeded random one — e.g. the gradient that a whole
   * block's backward pass delivers to this stage. Must have the output's shape.
   */
  cotangent?: Tensor;
  /** Relative finite-difference step (see `numericalGradient`). */
  relativeStep?: number;
  /** Replaces the finite differences (default: `numericalGradient`, i.e. gradcheck's `numericalVjp`). */
  numeric?: (run: RunFunction, inputs: StageInputs, name: string, cotangent: Tensor) => Tensor;
}

/**
 * For one stage or composite (or anything with a key, input names, a run and a hand-derived
 * backward, such as a link of explain's GPT chain) and its inputs: the gradient of ⟨output, c⟩ (c a seeded random
 * cotangent, never all ones, or the one given as `options.cotangent`) with respect to every differentiable input, computed by hand
 * (`manualBackward`), by autograd (`gradients`) and by finite differences, with the largest
 * pairwise differences. The inputs are not modified.
 *
 * @example
 * const entry = stageByKey('softmax');
 * const report = compareThreeWays(entry, entry.makeInputs({ seq: 3, dModel: 4 }), { seed: 1 });
 * console.log(report.maxRelative); // ~1e-10
 */
export function compareThreeWays(
  entry: Pick<RegistryEntry, 'key' | 'inputNames' | 'run' | 'manualBackward'>,
  inputs: StageInputs,
  options: CompareOptions = {},
): ThreeWayComparison {
  const leaves: Record<string, Tensor> = { ...inputs };
  for (const name of entry.inputNames) {
    const value = inputs[name];
    if (!(value instanceof Tensor)) throw typeError('compareThreeWays', `inputs.${name} must be a Tensor, got ${describe(value)}`);
    leaves[name] = new Tensor(value.data.slice(), value.shape, { requiresGrad: true });
  }
  const output = entry.run(leaves);
  const cotangent = options.cotangent ?? randn(output.shape, { rng: rng(options.seed ?? 0), dtype: output.dtype });
  const autograd = gradients(
    output,
    entry.inputNames.map((name) => leaves[name]),
    { gradOutput: cotangent },
  );
  const manual = noGrad(() => entry.manualBackward(leaves, cotangent));
  const numericOf = options.numeric ?? ((run, at, name, c) => numericalGradient(run, at, name, c, { relativeStep: options.relativeStep }));
  const comparisons = entry.inputNames.map((name, i): GradientComparison => {
    if (!(manual[name] instanceof Tensor))
      throw typeError('compareThreeWays', `${entry.key}.manualBackward returned no gradient for ${name}`);
    const numeric = numericOf((at) => entry.run(at), leaves, name, cotangent);
    return {
      name,
      shape: leaves[name].shape,
      manual: manual[name],
      autograd: autograd[i],
      numeric,
      manualVsAutograd: difference(manual[name], autograd[i]),
      manualVsNumeric: difference(manual[name], numeric),
      autogradVsNumeric: difference(autograd[i], numeric),
    };
  });
  const { relative: maxRelative } = largestDifference(
    comparisons.flatMap((c) => [c.manualVsAutograd, c.manualVsNumeric, c.autogradVsNumeric]),
  );
  return { key: entry.key, output: output.detach(), cotangent, gradients: comparisons, maxRelative };
}
