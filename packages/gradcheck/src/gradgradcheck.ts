import { gradients, hvp, randn, rng, Tensor, withGradMode } from '@attograd/tensor';
import { gradcheck } from './gradcheck';
import { checkedIndices, checkFn, checkInputs, now } from './inputs';
import type { GradcheckFn, GradcheckOptions, GradcheckReport } from './types';

/**
 * Second-order check, with PyTorch's semantics: draw a seeded random upstream gradient v (which
 * itself requires gradients), and check with `gradcheck` the gradient function
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
  const seed = options.seed ?? 0;
  const outputShape = withGradMode(true, () => fn(...inputs)).shape;
  const upstream = randn(outputShape, { rng: rng(seed + 1), requiresGrad: true });

  const checks = checked.map((index, position) => {
    // The gradient of input `index`, as a differentiable function of the inputs and of v.
    const gradientOf: GradcheckFn = (...args) =>
      withGradMode(true, () => {
        const xs = args.slice(0, inputs.length);
        const v = args[inputs.length];
        const targets = checked.map((i) => xs[i]);
        return gradients(fn(...xs), targets, { gradOutput: v, createGraph: true, allowUnused: true })[position];
      });
    return { input: index, report: gradcheck(gradientOf, [...inputs, upstream], options) };
  });
  return { ok: checks.every((check) => check.report.ok), checks, seconds: now() - started };
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
 * vectors: (∇L(x + h·v) − ∇L(x − h·v)) / 2h. Returns both and the largest relative difference.
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
  const h = options.eps ?? 1e-5;
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
