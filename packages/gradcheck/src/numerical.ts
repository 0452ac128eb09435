import { describe, formatShape, noGrad, rangeError, Tensor, typeError } from '@attograd/tensor';
import { resolveOptions } from './options';
import { cachedPartiallyReevaluated, partiallyReevaluated } from './partial-reevaluation';
import { callFn, checkedIndices, checkFn, checkInputIndex, checkInputs, checkOutputSize, workingInputs } from './inputs';
import type { GradcheckFn, Stencil } from './types';

/**
 * Options of the finite-difference functions.
 *
 * @example
 * const options: NumericalOptions = { stencil: 'five-point', eps: 1e-3 };
 */
export interface NumericalOptions {
  /** Relative step: h = eps·max(1, |x|). Default depends on the stencil (see `CENTRAL_EPS`). */
  eps?: number;
  /** `'central'` (default) or `'five-point'`. */
  stencil?: Stencil;
  /** Re-evaluate only the ops a perturbed element reaches (default true; see `GradcheckOptions.partial`). */
  partial?: boolean;
}

/**
 * A block of numerical Jacobian columns of one input, column-major: `values[(k − start)·outputSize + i]`
 * is ∂out_i/∂in_k (flat, row-major indices into the output and the input).
 *
 * @example
 * const { values, outputSize } = numericalJacobianColumns(fn, [x], 0, 0, 2);
 * const dOut3dIn1 = values[1 * outputSize + 3];
 */
export interface JacobianColumns {
  /** Position of the differentiated input in `inputs`. */
  inputIndex: number;
  /** The first column: a flat index into the input. */
  start: number;
  /** One past the last column. */
  end: number;
  /** Number of elements of fn's output: the length of one column. */
  outputSize: number;
  /** (end − start)·outputSize derivatives, column after column. */
  values: Float64Array;
}

/** Each stencil as offsets (in steps) and weights, over a common divisor: f′ ≈ Σ wₛ f(x + oₛh) / (d·h). */
export const STENCILS: Record<Stencil, { offsets: readonly number[]; weights: readonly number[]; divisor: number }> = {
  central: { offsets: [1, -1], weights: [1, -1], divisor: 2 },
  'five-point': { offsets: [2, 1, -1, -2], weights: [-1, 8, -8, 1], divisor: 12 },
};

/**
 * The step along a direction u with ‖u‖∞ ≤ 1 at a point x: h = eps·max(1, ‖x‖∞), the per-element
 * rule of `stepFor` applied to the largest element (every element then moves by at most h).
 */
export function directionStep(x: ArrayLike<number>, eps: number): number {
  let largest = 0;
  for (let k = 0; k < x.length; k++) largest = Math.max(largest, Math.abs(x[k]));
  return eps * Math.max(1, largest);
}

/**
 * The step for an element of value x: eps·max(1, |x|), rounded so that x + h is exactly
 * representable (h = (x + h) − x), which removes the representation error of the step itself.
 */
export function stepFor(x: number, eps: number): number {
  const h = eps * Math.max(1, Math.abs(x));
  return x + h - x;
}

/**
 * Columns `start` to `end − 1` of the numerical Jacobian of `fn` with respect to `inputs[inputIndex]`:
 * each element of that input is perturbed in place, `fn` is rerun without recording, and the exact
 * original value is written back (also when `fn` throws). Allocates nothing per column beyond what
 * `fn` itself allocates. A pure function of its arguments, meant to be called by worker threads
 * that each compute a range of columns.
 *
 * `inputs[inputIndex]` need not require gradients. float32 inputs are differentiated on float64 copies.
 *
 * @throws TypeError if fn is not a function, inputs not an array of tensors, or fn returns no tensor;
 *   RangeError if inputIndex, start or end are out of range, or if fn's output size changes.
 * @example
 * // two workers, one half each:
 * const left = numericalJacobianColumns(fn, [x, w], 1, 0, 8);
 * const right = numericalJacobianColumns(fn, [x, w], 1, 8, 16);
 */
export function numericalJacobianColumns(
  fn: GradcheckFn,
  inputs: readonly Tensor[],
  inputIndex: number,
  start: number,
  end: number,
  options: NumericalOptions = {},
): JacobianColumns {
  const op = 'numericalJacobianColumns';
  checkFn(op, fn);
  checkInputs(op, inputs);
  checkInputIndex(op, inputs, inputIndex);
  const size = inputs[inputIndex].size;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > size) {
    throw rangeError(op, `need integers 0 ≤ start ≤ end ≤ ${size} (the size of inputs[${inputIndex}]), got start ${start}, end ${end}`);
  }
  const { eps, stencil, partial } = resolveOptions(op, options, ['eps', 'stencil', 'partial']);
  const { tensors } = workingInputs(inputs);
  const outputSize = noGrad(() => callFn(op, fn, tensors).size);
  // Cached: a worker thread asks for one range after another of the same fn and inputs.
  const evaluate = partial && start < end ? cachedPartiallyReevaluated(fn, tensors, eps) : fn;
  return columnsOf(op, evaluate, tensors, inputIndex, start, end, outputSize, eps, stencil);
}

/** `numericalJacobianColumns` on already prepared float64 working inputs (no argument checks). */
export function columnsOf(
  op: string,
  fn: GradcheckFn,
  inputs: readonly Tensor[],
  inputIndex: number,
  start: number,
  end: number,
  outputSize: number,
  eps: number,
  stencil: Stencil,
): JacobianColumns {
  const data = inputs[inputIndex].data;
  const { offsets, weights, divisor } = STENCILS[stencil];
  const values = new Float64Array((end - start) * outputSize);
  noGrad(() => {
    for (let k = start; k < end; k++) {
      const x = data[k];
      const h = stepFor(x, eps);
      const column = (k - start) * outputSize;
      try {
        for (let s = 0; s < offsets.length; s++) {
          data[k] = x + offsets[s] * h;
          const output = callFn(op, fn, inputs);
          checkOutputSize(op, output, outputSize);
          const y = output.data;
          const w = weights[s];
          if (s === 0) for (let i = 0; i < outputSize; i++) values[column + i] = w * y[i];
          else for (let i = 0; i < outputSize; i++) values[column + i] += w * y[i];
        }
      } finally {
        data[k] = x;
      }
      const denominator = divisor * h;
      for (let i = 0; i < outputSize; i++) values[column + i] /= denominator;
    }
  });
  return { inputIndex, start, end, outputSize, values };
}

/**
 * The numerical Jacobian of `fn` at `inputs`, one `[outputSize, inputSize]` float64 tensor per input
 * with `requiresGrad` (J[i][j] = ∂out_i/∂in_j, flat row-major indices), by finite differences.
 * The inputs' values are restored exactly afterwards.
 *
 * @throws TypeError on a bad fn or inputs, or when no input requires gradients; RangeError on bad options.
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const [jacobian] = numericalJacobian((x) => cube([x], {}), [x]); // ≈ [[3, 0], [0, 12]]
 */
export function numericalJacobian(fn: GradcheckFn, inputs: readonly Tensor[], options: NumericalOptions = {}): Tensor[] {
  const op = 'numericalJacobian';
  checkFn(op, fn);
  checkInputs(op, inputs);
  const checked = checkedIndices(op, inputs);
  const { eps, stencil, partial } = resolveOptions(op, options, ['eps', 'stencil', 'partial']);
  const { tensors } = workingInputs(inputs);
  const outputSize = noGrad(() => callFn(op, fn, tensors).size);
  const evaluate = partial ? partiallyReevaluated(fn, tensors, eps) : fn;
  return checked.map((index) => {
    const inputSize = tensors[index].size;
    const { values } = columnsOf(op, evaluate, tensors, index, 0, inputSize, outputSize, eps, stencil);
    return new Tensor(transpose(values, inputSize, outputSize), [outputSize, inputSize]);
  });
}

/** Transposes a row-major rows×cols matrix. */
export function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const result = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) result[c * rows + r] = values[r * cols + c];
  return result;
}

/**
 * The gradient of the scalar ⟨fn(inputs), cotangent⟩ with respect to `inputs[inputIndex]` by
 * finite differences, with gradcheck's step rule and stencils: g_k = Σ_i c_i·∂out_i/∂in_k, each
 * column contracted with the cotangent as it is computed (the difference is taken element by
 * element first, so no rounding of ⟨f, c⟩ itself enters). The input need not require gradients;
 * the inputs' values are restored exactly.
 *
 * @throws TypeError on a bad fn, inputs or cotangent; RangeError when the cotangent's size differs
 *   from the output's, or on bad options.
 * @example
 * const dW = numericalVjp((x, w) => matmul(x, w), [x, w], 1, dOut); // ≈ xᵀ·dOut
 */
export function numericalVjp(
  fn: GradcheckFn,
  inputs: readonly Tensor[],
  inputIndex: number,
  cotangent: Tensor,
  options: NumericalOptions = {},
): Tensor {
  const op = 'numericalVjp';
  checkFn(op, fn);
  checkInputs(op, inputs);
  checkInputIndex(op, inputs, inputIndex);
  if (!(cotangent instanceof Tensor)) throw typeError(op, `cotangent must be a Tensor, got ${describe(cotangent)}`);
  const { eps, stencil, partial } = resolveOptions(op, options, ['eps', 'stencil', 'partial']);
  const { tensors } = workingInputs(inputs);
  const output = noGrad(() => callFn(op, fn, tensors));
  if (output.size !== cotangent.size) {
    throw rangeError(op, `the cotangent has shape ${formatShape(cotangent.shape)} but fn's output has shape ${formatShape(output.shape)}`);
  }
  const evaluate = partial ? partiallyReevaluated(fn, tensors, eps) : fn;
  const size = tensors[inputIndex].size;
  const gradient = new Float64Array(size);
  const c = cotangent.data;
  // One column at a time: memory stays at one output, whatever the input's size.
  for (let k = 0; k < size; k++) {
    const { values } = columnsOf(op, evaluate, tensors, inputIndex, k, k + 1, output.size, eps, stencil);
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += c[i] * values[i];
    gradient[k] = sum;
  }
  return new Tensor(gradient, tensors[inputIndex].shape);
}
