import { gradients } from './autograd';
import { zeros } from './create';
import { describe, formatShape, rangeError, typeError } from './errors';
import { addGradients } from './primitives';
import { shapesEqual } from './shape';
import { Tensor } from './tensor';

/** A function of tensors, as checked and differentiated throughout attograd. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor;

/**
 * Forward mode: the output of fn and its directional derivative J·t along `tangents` (one per
 * input), by the double-VJP construction: with v a placeholder cotangent, g(v) = Jᵀv is linear in
 * v, so the gradient of ⟨g(v), t⟩ with respect to v is J·t. Exact, like every gradient here.
 *
 * @example
 * const { output, tangent } = jvp((x) => softmax(x), [x], [direction]);
 */
export function jvp(fn: TensorFunction, inputs: readonly Tensor[], tangents: readonly Tensor[]): { output: Tensor; tangent: Tensor } {
  checkPairs('jvp', inputs, tangents, 'tangents');
  const primals = inputs.map((input) => new Tensor(input.data, input.shape, { requiresGrad: true, name: input.name }));
  const output = fn(...primals);
  if (!(output instanceof Tensor)) throw typeError('jvp', `fn must return a Tensor, got ${describe(output)}`);
  if (!output.requiresGrad) return { output, tangent: zeros(output.shape, { dtype: output.dtype }) };

  const placeholder = zeros(output.shape, { dtype: output.dtype, requiresGrad: true });
  const vjps = gradients(output, primals, { gradOutput: placeholder, createGraph: true, allowUnused: true });
  let tangent: Tensor | null = null;
  vjps.forEach((vjp, i) => {
    if (!vjp.requiresGrad) return; // the output does not depend on input i
    const [part] = gradients(vjp, [placeholder], { gradOutput: tangents[i], retainGraph: true, allowUnused: true });
    tangent = tangent === null ? part : addGradients(tangent, part);
  });
  return { output: output.detach(), tangent: tangent ?? zeros(output.shape, { dtype: output.dtype }) };
}

/**
 * Hessian-vector product of the scalar L = ⟨fn(inputs), cotangent⟩ (or fn's own scalar output when
 * `cotangent` is omitted): H·v for `vectors` (one per input), one result per input. Exact:
 * it differentiates the gradient, recorded with createGraph.
 *
 * @example
 * const [hv] = hvp((x) => softmax(x), [x], [v], { cotangent: c });
 */
export function hvp(
  fn: TensorFunction,
  inputs: readonly Tensor[],
  vectors: readonly Tensor[],
  options: { cotangent?: Tensor } = {},
): Tensor[] {
  checkPairs('hvp', inputs, vectors, 'vectors');
  const primals = inputs.map((input) => new Tensor(input.data, input.shape, { requiresGrad: true, name: input.name }));
  const output = fn(...primals);
  if (!(output instanceof Tensor)) throw typeError('hvp', `fn must return a Tensor, got ${describe(output)}`);
  const result = primals.map((primal) => zeros(primal.shape, { dtype: primal.dtype }));
  if (!output.requiresGrad) return result;
  const grads = gradients(output, primals, { gradOutput: options.cotangent, createGraph: true, allowUnused: true });
  grads.forEach((grad, i) => {
    if (!grad.requiresGrad) return; // the gradient is constant in every input
    const parts = gradients(grad, primals, { gradOutput: vectors[i], retainGraph: true, allowUnused: true });
    parts.forEach((part, j) => (result[j] = addGradients(result[j], part)));
  });
  return result;
}

function checkPairs(op: string, inputs: readonly Tensor[], others: readonly Tensor[], name: string): void {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw typeError(op, `inputs must be a non-empty array of tensors, got ${describe(inputs)}`);
  if (!Array.isArray(others) || others.length !== inputs.length) {
    throw rangeError(op, `${name} must hold one tensor per input (${inputs.length}), got ${describe(others)}`);
  }
  inputs.forEach((input, i) => {
    if (!(input instanceof Tensor)) throw typeError(op, `inputs[${i}] must be a Tensor, got ${describe(input)}`);
    const other = others[i];
    if (!(other instanceof Tensor)) throw typeError(op, `${name}[${i}] must be a Tensor, got ${describe(other)}`);
    if (!shapesEqual(other.shape, input.shape)) {
      throw rangeError(op, `${name}[${i}] has shape ${formatShape(other.shape)} but inputs[${i}] has shape ${formatShape(input.shape)}`);
    }
    if (other.dtype !== input.dtype) throw typeError(op, `${name}[${i}] is ${other.dtype} but inputs[${i}] is ${input.dtype}`);
  });
}
