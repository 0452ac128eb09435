import { gradients, hvp, randn, rng, Tensor, withGradMode, zeros } from '@attograd/tensor';
import { directionStep } from './numerical';
import { defaultEps } from './options';
import { gradcheck } from './gradcheck';
import { checkedIndices, checkFn, checkInputs, now } from './inputs';
import type { GradcheckFn, GradcheckOptions, GradcheckReport } from './types';

/**
 * Second-order check, with PyTorch's semantics: draw a seeded random upstream gradient v
 * (`secondOrderCotangent`, which itself requires gradients), and check with `gradcheck` the gradient function
 * (inputs, v) ↦ vᵀ∂fn/∂inputᵢ for every checked input i. So the second derivatives, and the
 * derivative with respect to v, are compared with finite differences of the first derivatives.
 *
 * @returns one gradcheck report per checked input's gradient, and `ok` when all pass.
 * @throws as gradcheck, on misuse.
 * @example
 * const report = gradgradcheck((x) => softmax(x), [randn([3, 4], { rng: rng(1), requiresGrad: true })]);
 * report.ok; // true: softmax's rule is differentiable and right
 */
export function gradgradcheck(fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradgradcheckReport {
  const started = now();
  checkFn('gradgradcheck', fn);
  checkInputs('gradgradcheck', inputs);
  const checked = checkedIndices('gradgradcheck', inputs);
  const outputShape = withGradMode(true, () => fn(...inputs)).shape;
  const upstream = secondOrderCotangent(outputShape, options.seed ?? 0, true);
  const checks = checked.map((index, position) => {
    const gradientOf = gradientFunction(fn, inputs.length, checked, position, { cotangentArgument: true });
    return { input: index, report: gradcheck(gradientOf, [...inputs, upstream], options) };
  });
  return { ok: checks.every((check) => check.report.ok), checks, seconds: now() - started };
}

/**
 * The seeded random cotangent v of a second-order check: standard normal of fn's output shape
 * (never all ones, which hides transposition errors), drawn from its own stream `seed + 1_000_003`
 * so that it never equals an input drawn from rng(seed) (a rule that uses an input where it
 * should use dOut would then go unnoticed). `requiresGrad` makes v a checked input too.
 *
 * @example
 * const v = secondOrderCotangent([3, 4], 0); // the v gradgradcheck(fn, inputs, { seed: 0 }) uses, as a constant
 */
export function secondOrderCotangent(outputShape: readonly number[], seed: number, requiresGrad = false): Tensor {
  return randn(outputShape, { rng: rng(seed + COTANGENT_STREAM), requiresGrad });
}

const COTANGENT_STREAM = 1_000_003;

/**
 * The gradient of checked input number `position` as a differentiable function of the inputs:
 * g(x₀, x₁, …) = gradients(fn(x₀, x₁, …), [checked inputs], { gradOutput: v, createGraph: true })[position].
 * With `cotangent` v is a constant; with `cotangentArgument: true` v is the argument after the
 * inputs (so its derivative is checked too, as gradgradcheck does). Recording is switched on
 * inside (the gradient must be recorded to be computed at all, even when gradcheck calls g
 * without recording); when fn's output does not require gradients, g returns zeros.
 *
 * @example
 * const g = gradientFunction(fn, 2, [0, 1], 0, { cotangent: secondOrderCotangent(outputShape, seed) });
 * gradcheck(g, inputs); // checks the second derivatives of fn through input 0's gradient
 */
export function gradientFunction(
  fn: GradcheckFn,
  inputCount: number,
  checked: readonly number[],
  position: number,
  cotangent: { cotangent: Tensor } | { cotangentArgument: true },
): GradcheckFn {
  return (...args) =>
    withGradMode(true, () => {
      const xs = args.slice(0, inputCount);
      const v = 'cotangent' in cotangent ? cotangent.cotangent : args[inputCount];
      const output = fn(...xs);
      if (!output.requiresGrad) return zeros(xs[checked[position]].shape);
      const targets = checked.map((i) => xs[i]);
      return gradients(output, targets, { gradOutput: v, createGraph: true, allowUnused: true })[position];
    });
}

/** The result of gradgradcheck: one gradcheck report per differentiated input. */
export interface GradgradcheckReport {
  /** Every check of a gradient function passed. */
  ok: boolean;
  /** For each checked input i: the check of its gradient function (inputs…, v) ↦ (vᵀJ)ᵢ. */
  checks: Array<{ input: number; report: GradcheckReport }>;
  /** Wall-clock duration of all the checks. */
  seconds: number;
}

/**
 * The Hessian-vector product of L = ⟨fn(inputs), cotangent⟩ two ways: exactly (autograd,
 * differentiating the recorded gradient) and by central differences of the gradient along the
 * vectors: (∇L(x + h·v) − ∇L(x − h·v)) / 2h, with gradcheck's step h = eps·max(1, ‖x‖∞), eps
 * default `CENTRAL_EPS`. Returns both and the largest relative difference.
 *
 * @example
 * const { maxRelError } = checkHvp((x) => softmax(x), [x], [v], { cotangent: c });
 */
export function checkHvp(
  fn: GradcheckFn,
  inputs: readonly Tensor[],
  vectors: readonly Tensor[],
  options: { cotangent?: Tensor; eps?: number } = {},
): { exact: Tensor[]; numeric: Tensor[]; maxRelError: number } {
  checkFn('checkHvp', fn);
  checkInputs('checkHvp', inputs);
  const exact = hvp(fn, inputs, vectors, { cotangent: options.cotangent });
  // gradcheck's step rule along a direction: h = eps·max(1, ‖x‖∞) over the inputs, for unit-scale vectors.
  const eps = options.eps ?? defaultEps('central');
  const h = Math.max(...inputs.map((x) => directionStep(x.data, eps)));
  const gradientAt = (step: number): Tensor[] => {
    const shifted = inputs.map((x, i) => {
      const data = x.data.slice();
      for (let k = 0; k < data.length; k++) data[k] += step * vectors[i].data[k];
      return new Tensor(data, x.shape, { requiresGrad: true });
    });
    return withGradMode(true, () => gradients(fn(...shifted), shifted, { gradOutput: options.cotangent, allowUnused: true }));
  };
  const plus = gradientAt(h);
  const minus = gradientAt(-h);
  let maxRelError = 0;
  const numeric = plus.map((p, i) => {
    const data = p.data.slice();
    for (let k = 0; k < data.length; k++) {
      data[k] = (p.data[k] - minus[i].data[k]) / (2 * h);
      const scale = Math.max(1, Math.abs(data[k]));
      maxRelError = Math.max(maxRelError, Math.abs(data[k] - exact[i].data[k]) / scale);
    }
    return new Tensor(data, p.shape);
  });
  return { exact, numeric, maxRelError };
}
