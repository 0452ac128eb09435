import { allocate, gradients, Tensor } from '@attograd/tensor';
import { callFn, checkedIndices, checkFn, checkInputs, workingInputs } from './inputs';
import type { GradcheckFn } from './types';

/**
 * Rows of the analytical Jacobian of a recorded `output` with respect to each of `targets`, as
 * row-major `[output.size, target.size]` arrays: one `gradients` call per output element, with a
 * one-hot cotangent, keeping the graph for the next row. A target the output does not reach gets
 * zeros; so does every target when the output does not require gradients at all.
 */
export function analyticalRows(output: Tensor, targets: readonly Tensor[]): Float64Array[] {
  const rows = output.size;
  const jacobians = targets.map((target) => new Float64Array(rows * target.size));
  if (!output.requiresGrad) return jacobians;
  const oneHotData = allocate(output.dtype, rows);
  const oneHot = new Tensor(oneHotData, output.shape);
  for (let r = 0; r < rows; r++) {
    oneHotData[r] = 1;
    const grads = gradients(output, targets, { gradOutput: oneHot, retainGraph: true, allowUnused: true });
    // Copy before clearing the one-hot entry: a gradient may be the cotangent itself (fn = x => x).
    grads.forEach((grad, t) => jacobians[t].set(grad.data, r * targets[t].size));
    oneHotData[r] = 0;
  }
  return jacobians;
}

/**
 * The analytical Jacobian of `fn` at `inputs` by reverse-mode autograd, one `[outputSize, inputSize]`
 * float64 tensor per input with `requiresGrad` (J[i][j] = ∂out_i/∂in_j, flat row-major indices),
 * built row by row with one `gradients` call per output element. The inputs' `.grad` and graphs
 * are not touched. An input the output does not depend on gets a zero block.
 *
 * @throws TypeError on a bad fn or inputs, or when no input requires gradients; whatever an op's
 *   gradient rule throws.
 * @example
 * const x = tensor([1, 2], { requiresGrad: true });
 * const [jacobian] = analyticalJacobian((x) => cube([x], {}), [x]); // [[3, 0], [0, 12]]
 */
export function analyticalJacobian(fn: GradcheckFn, inputs: readonly Tensor[]): Tensor[] {
  const op = 'analyticalJacobian';
  checkFn(op, fn);
  checkInputs(op, inputs);
  const checked = checkedIndices(op, inputs);
  const { tensors } = workingInputs(inputs);
  const output = callFn(op, fn, tensors);
  const rows = analyticalRows(
    output,
    checked.map((index) => tensors[index]),
  );
  return rows.map((values, t) => new Tensor(values, [output.size, tensors[checked[t]].size]));
}
