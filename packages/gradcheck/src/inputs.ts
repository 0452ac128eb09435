import { describe, formatShape, rangeError, Tensor, typeError } from '@attograd/tensor';
import type { GradcheckFn } from './types';

/** Throws a TypeError naming `op` unless `fn` is a function. */
export function checkFn(op: string, fn: unknown): asserts fn is GradcheckFn {
  if (typeof fn !== 'function') {
    throw typeError(op, `fn must be a function (...inputs: Tensor[]) => Tensor, got ${describe(fn)}`);
  }
}

/** Throws a TypeError naming `op` and the index unless `inputs` is an array of tensors. */
export function checkInputs(op: string, inputs: unknown): asserts inputs is readonly Tensor[] {
  if (!Array.isArray(inputs)) {
    const got = inputs instanceof Tensor ? 'a single Tensor (wrap it: [x])' : describe(inputs);
    throw typeError(op, `inputs must be an array of tensors, got ${got}`);
  }
  inputs.forEach((input, i) => {
    if (!(input instanceof Tensor)) throw typeError(op, `inputs[${i}] must be a Tensor, got ${describe(input)}`);
  });
}

/**
 * Indices of the inputs with `requiresGrad`: the ones to check. Throws when there are none.
 *
 * @example
 * checkedIndices('myCheck', [x, constant, w]) // [0, 2] when only x and w require gradients
 */
export function checkedIndices(op: string, inputs: readonly Tensor[]): number[] {
  const checked: number[] = [];
  inputs.forEach((input, i) => {
    if (input.requiresGrad) checked.push(i);
  });
  if (checked.length === 0) {
    throw typeError(
      op,
      `none of the ${inputs.length} inputs requires gradients, so there is nothing to check; ` +
        `create the inputs to check with { requiresGrad: true }`,
    );
  }
  return checked;
}

/** Throws a RangeError naming `op` unless `index` is a valid index into `inputs`. */
export function checkInputIndex(op: string, inputs: readonly Tensor[], index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= inputs.length) {
    throw rangeError(op, `inputIndex must be an integer in [0, ${inputs.length}), got ${describe(index)}`);
  }
  return index;
}

/**
 * The tensors `fn` is called with, as in PyTorch the caller's own tensors where possible:
 * - a float64 leaf is passed as is: perturbing it in place and restoring it is what the numerical
 *   Jacobian does, and `gradients()` never touches `.grad`, so closures over it work too;
 * - a float64 non-leaf becomes a fresh leaf sharing its data buffer, so the check neither walks
 *   nor runs the caller's graph behind it (which may already have been freed by a backward pass);
 * - a float32 tensor becomes a float64 copy (listed in `upcast`).
 * The same tensor given twice maps to one working tensor, so `fn(x, x)` is one variable to both methods.
 */
export function workingInputs(inputs: readonly Tensor[]): { tensors: Tensor[]; upcast: number[] } {
  const seen = new Map<Tensor, Tensor>();
  const upcast: number[] = [];
  const tensors = inputs.map((input, i) => {
    if (input.dtype === 'float32') upcast.push(i);
    let working = seen.get(input);
    if (working === undefined) {
      working = workingCopy(input);
      seen.set(input, working);
    }
    return working;
  });
  return { tensors, upcast };
}

function workingCopy(input: Tensor): Tensor {
  const options = { requiresGrad: input.requiresGrad, name: input.name };
  if (input.dtype === 'float32') return new Tensor(Float64Array.from(input.data), input.shape, options);
  return input.isLeaf ? input : new Tensor(input.data, input.shape, options);
}

/** Calls `fn` and checks that it returned a tensor. */
export function callFn(op: string, fn: GradcheckFn, inputs: readonly Tensor[]): Tensor {
  const output: unknown = fn(...inputs);
  if (!(output instanceof Tensor)) {
    throw typeError(op, `fn must return a Tensor, but it returned ${describe(output)}`);
  }
  return output;
}

/** Throws when a perturbed evaluation changed the number of output elements. */
export function checkOutputSize(op: string, output: Tensor, expected: number): void {
  if (output.size !== expected) {
    throw rangeError(
      op,
      `fn returned ${output.size} elements (shape ${formatShape(output.shape)}) at a perturbed input but ${expected} ` +
        `at the original one; its output shape must not depend on the input values`,
    );
  }
}

/** Seconds since an arbitrary origin, in browsers and Node alike. */
export function now(): number {
  return (globalThis.performance?.now() ?? Date.now()) / 1000;
}
