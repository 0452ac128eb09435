import type { GradcheckFn } from '@attograd/gradcheck';
import { gradients, noGrad, randn, rng, Tensor, withGradMode, zeros } from '@attograd/tensor';
import type { CheckCase, Derivative } from './types';

/**
 * Second-order checks: the construction of @attograd/gradcheck's `gradgradcheck`, split into one
 * case per gradient so that each runs through this command's own runner (workers, partial
 * re-evaluation, one table row per gradient). For a seeded random cotangent c (never all ones,
 * which hides transposition errors), and for each checked input i,
 *
 *   g_i(x₀, x₁, …) = gradients(fn(x₀, x₁, …), [checked inputs], { gradOutput: c, createGraph: true })[i]
 *
 * is a function of the inputs; gradcheck compares its autograd Jacobian (a backward pass through
 * the recorded gradient computation: the gradient's gradient) with finite differences of g_i.
 */

/**
 * The indices of the inputs a case checks (those with requiresGrad).
 *
 * @example
 * checkedIndices(c) // [1, 2] when only inputs 1 and 2 require gradients
 */
export function checkedIndices(c: CheckCase): number[] {
  return c.inputs.flatMap((input, i) => (input.requiresGrad ? [i] : []));
}

/**
 * The seeded random cotangent of fn's output, for the gradient function. Drawn from its own
 * stream (seed + COTANGENT_STREAM): built-in inputs come from rng(seed), and a cotangent equal
 * to an input could hide a rule that uses the input where it should use dOut.
 */
function cotangentFor(c: CheckCase, seed: number): Tensor {
  const output = noGrad(() => c.fn(...c.inputs));
  return randn(output.shape, { rng: rng(seed + COTANGENT_STREAM) });
}

const COTANGENT_STREAM = 1_000_003;

/**
 * The case checked for `derivative`: the case itself for order 1; for order 2 the gradient
 * function g_i above, with the same inputs.
 *
 * @example
 * const second = derivedCase(softmaxCase, { order: 2, gradient: 0, seed: 0 });
 * gradcheck(second.fn, second.inputs);
 */
export function derivedCase(c: CheckCase, derivative: Derivative): CheckCase {
  if (derivative.order === 1) return c;
  const checked = checkedIndices(c);
  const position = checked[derivative.gradient];
  const cotangent = cotangentFor(c, derivative.seed);
  // gradcheck calls fn without recording for finite differences; the gradient must be recorded
  // to be computed at all, so recording is switched on inside.
  const fn: GradcheckFn = (...inputs) =>
    withGradMode(true, () => {
      const output = c.fn(...inputs);
      if (!output.requiresGrad) return zeros(inputs[position].shape);
      const targets = checked.map((i) => inputs[i]);
      return gradients(output, targets, { gradOutput: cotangent, createGraph: true, allowUnused: true })[derivative.gradient];
    });
  return { fn, inputs: c.inputs, inputNames: c.inputNames };
}
