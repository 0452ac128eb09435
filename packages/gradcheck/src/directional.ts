import { allocate, noGrad, rng, Tensor, type Rng } from '@attograd/tensor';
import { guardBackward, vjps } from './full-jacobian';
import { callFn, checkOutputSize } from './inputs';
import { directionStep, STENCILS } from './numerical';
import type { Problem } from './problem';
import type { Stencil } from './types';

/**
 * Random projections, as in PyTorch's fast gradcheck: a unit cotangent v over the output and a
 * unit direction uᵢ per checked input, both standard normal then normalized (so vᵀJu has the
 * size of a typical Jacobian entry and the same tolerances apply). Drawn from `rng(seed)` in a
 * fixed order: v first, then uᵢ for each checked input in input order.
 */
export interface Directions {
  v: Float64Array;
  /** v as a tensor of the output's shape and dtype, to seed backward. */
  cotangent: Tensor;
  us: Float64Array[];
}

export function randomDirections(problem: Problem, seed: number): Directions {
  const random = rng(seed);
  const { output } = problem;
  const v = unitNormal(random, output.size);
  const us = problem.checked.map((index) => unitNormal(random, problem.tensors[index].size));
  const cotangentData = allocate(output.dtype, output.size);
  cotangentData.set(v);
  return { v, cotangent: new Tensor(cotangentData, output.shape), us };
}

/** (vᵀJᵢ)·uᵢ for each checked input, from one backward pass; null when the backward threw. */
export function analyticProjections(problem: Problem, directions: Directions): number[] | null {
  return guardBackward(problem, () => vjps(problem, directions.cotangent).map((grad, t) => dot(grad.data, directions.us[t])));
}

/**
 * d/ds ⟨v, f(…, xᵢ + s·uᵢ, …)⟩ at s = 0 by the stencil, for checked input number `t`. The step is
 * h = eps·max(1, ‖xᵢ‖∞) (every element moves by at most h since ‖uᵢ‖ = 1). The input is restored
 * from a saved copy, bit for bit, also when fn throws.
 */
export function directionalDerivative(problem: Problem, t: number, directions: Directions, eps: number, stencil: Stencil): number {
  const { op, fn, tensors, output } = problem;
  const data = tensors[problem.checked[t]].data;
  const u = directions.us[t];
  const saved = data.slice();
  const h = directionStep(saved, eps);
  const { offsets, weights, divisor } = STENCILS[stencil];
  // Σₛ wₛ f(x + oₛh·u) element by element first, then one dot product with v: taking ⟨v, f⟩ of each
  // evaluation and subtracting those would add the rounding of sums of size |f| to a difference of size h·|f′|.
  const difference = new Float64Array(output.size);
  noGrad(() => {
    try {
      for (let s = 0; s < offsets.length; s++) {
        for (let k = 0; k < data.length; k++) data[k] = saved[k] + offsets[s] * h * u[k];
        const perturbed = callFn(op, fn, tensors);
        checkOutputSize(op, perturbed, output.size);
        const y = perturbed.data;
        for (let i = 0; i < y.length; i++) difference[i] += weights[s] * y[i];
      }
    } finally {
      data.set(saved);
    }
  });
  return dot(directions.v, difference) / (divisor * h);
}

function unitNormal(random: Rng, size: number): Float64Array {
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = random.normal();
  const norm = Math.sqrt(dot(values, values));
  if (norm > 0) for (let i = 0; i < size; i++) values[i] /= norm;
  return values;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
