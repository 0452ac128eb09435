import { checkedIndices, gradientFunction, secondOrderCotangent } from '@attograd/gradcheck';
import { noGrad } from '@attograd/tensor';
import type { CheckCase, Derivative } from './types';

/**
 * Second-order checks: @attograd/gradcheck's `gradgradcheck` construction (`gradientFunction`
 * with its seeded cotangent `secondOrderCotangent`), split into one case per gradient so that
 * each runs through this command's runner (worker threads, one table row per gradient). For
 * each checked input i,
 *
 *   g_i(x₀, x₁, …) = gradients(fn(x₀, x₁, …), [checked inputs], { gradOutput: v, createGraph: true })[i]
 *
 * is a function of the inputs; gradcheck compares its autograd Jacobian (a backward pass through
 * the recorded gradient computation: the gradient's gradient) with finite differences of g_i.
 * Unlike `gradgradcheck`, v is a constant here (the table lists the case's own inputs).
 */

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
  const checked = checkedIndices('attograd check', c.inputs);
  const outputShape = noGrad(() => c.fn(...c.inputs)).shape;
  const cotangent = secondOrderCotangent(outputShape, derivative.seed);
  const fn = gradientFunction(c.fn, c.inputs.length, checked, derivative.gradient, { cotangent });
  return { fn, inputs: c.inputs, inputNames: c.inputNames };
}
