import { describe, formatShape, rangeError, typeError } from './errors';
import { withGradMode } from './grad-mode';
import { addGradients, sumToShape } from './primitives';
import { broadcastsTo, shapesEqual } from './shape';
import { Tensor, type BackwardOptions } from './tensor';
import { ones, zeros } from './create';
import { checkAnomaly, isAnomalyDetectionEnabled } from './anomaly';

/**
 * Options of `gradients`.
 *
 * @example
 * gradients(y, [x], { gradOutput: cotangent, createGraph: true }); // differentiable gradients
 */
export interface GradientsOptions {
  /** The cotangent: d(loss)/d(output). Required unless the output has a single element. */
  gradOutput?: Tensor;
  /** Record the gradient computation, so the returned gradients can be differentiated again. */
  createGraph?: boolean;
  /** Keep the graph for another backward pass. Default: `createGraph`. */
  retainGraph?: boolean;
}

/**
 * d(output)/d(input) for each input, contracted with `gradOutput` (the vector-Jacobian product),
 * like `torch.autograd.grad`. `.grad` is not touched. An input the output does not depend on
 * gets a zero gradient. With `createGraph: true` the results are differentiable.
 *
 * @example
 * const [dx] = gradients(mul(x, x), [x], { gradOutput: cotangent });
 */
export function gradients(output: Tensor, inputs: readonly Tensor[], options: GradientsOptions = {}): Tensor[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw typeError('gradients', `inputs must be a non-empty array of tensors, got ${describe(inputs)}`);
  }
  inputs.forEach((input, i) => {
    if (!(input instanceof Tensor)) throw typeError('gradients', `inputs[${i}] must be a Tensor, got ${describe(input)}`);
    if (!input.requiresGrad) {
      throw typeError('gradients', `inputs[${i}] (shape ${formatShape(input.shape)}) does not require gradients; create it with { requiresGrad: true }`);
    }
  });
  const createGraph = options.createGraph ?? false;
  const grads = runBackward(output, options.gradOutput, inputs, {
    createGraph,
    retainGraph: options.retainGraph ?? createGraph,
    op: 'gradients',
  });
  return inputs.map((input) => grads.get(input) ?? zeros(input.shape, { dtype: input.dtype }));
}

/** `tensor.backward()`: accumulates into `.grad` of every leaf reached. */
export function backwardToLeaves(output: Tensor, gradOutput: Tensor | undefined, options: BackwardOptions): void {
  const createGraph = options.createGraph ?? false;
  const grads = runBackward(output, gradOutput, null, {
    createGraph,
    retainGraph: options.retainGraph ?? createGraph,
    op: 'backward',
  });
  // Written only once every gradient is computed, so a failure leaves every .grad as it was.
  withGradMode(createGraph, () => {
    for (const [leaf, grad] of grads) leaf.grad = leaf.grad === null ? grad : addGradients(leaf.grad, grad);
  });
}

interface RunOptions {
  createGraph: boolean;
  retainGraph: boolean;
  op: string;
}

/**
 * The backward driver. Walks the graph from `output` in reverse topological order, calling each
 * op's vector-Jacobian product once all gradients flowing into its output have been summed.
 * Returns the gradient of each target (or, when `targets` is null, of each leaf reached).
 */
function runBackward(
  output: Tensor,
  gradOutput: Tensor | undefined,
  targets: readonly Tensor[] | null,
  options: RunOptions,
): Map<Tensor, Tensor> {
  const { op } = options;
  if (!(output instanceof Tensor)) throw typeError(op, `output must be a Tensor, got ${describe(output)}`);
  if (!output.requiresGrad) {
    throw typeError(
      op,
      `the output (shape ${formatShape(output.shape)}) does not require gradients: no input created with ` +
        `{ requiresGrad: true } reached it, or it was computed inside noGrad()`,
    );
  }
  const seed = seedGradient(op, output, gradOutput);
  const order = topologicalOrder(output);
  const targetSet = targets === null ? null : new Set(targets);
  const needed = targetSet === null ? null : neededNodes(order, targetSet);

  const grads = new Map<Tensor, Tensor>([[output, seed]]);
  const ran: Tensor[] = [];
  withGradMode(options.createGraph, () => {
    for (let n = order.length - 1; n >= 0; n--) {
      const node = order[n];
      const dOut = grads.get(node);
      const gradFn = node.gradFn;
      if (dOut === undefined || gradFn === null) continue;
      if (gradFn.vjp === null) {
        // A freed node forgets its inputs, so whether a target lies behind it is unknown: only a
        // target itself may be reached through it.
        if (targetSet !== null && targetSet.has(node)) continue;
        throw freedGraphError(op, gradFn.op);
      }
      // Run a rule only if some input leads to a target (a target itself need not pass further).
      if (needed !== null && !gradFn.inputs.some((input) => needed.has(input))) continue;
      const inputGrads = gradFn.vjp(dOut);
      ran.push(node);
      gradFn.inputs.forEach((input, i) => {
        const grad = inputGrads[i];
        if (!input.requiresGrad || grad === null || grad === undefined) return;
        if (isAnomalyDetectionEnabled()) checkAnomaly('backward', gradFn.op, gradFn.label, [dOut], grad, `the gradient of input ${i}`);
        if (needed !== null && !needed.has(input)) return;
        const fitted = fitToInput(gradFn.op, grad, input, i);
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? fitted : addGradients(previous, fitted));
      });
    }
  });

  // Free what this pass ran (as PyTorch does), so the saved tensors can be collected.
  if (!options.retainGraph) {
    for (const node of ran) {
      if (node.gradFn !== null) {
        node.gradFn.vjp = null;
        node.gradFn.inputs = [];
      }
    }
  }
  const result = new Map<Tensor, Tensor>();
  if (targetSet !== null) {
    for (const target of targetSet) {
      const grad = grads.get(target);
      if (grad !== undefined) result.set(target, grad);
    }
  } else {
    for (const node of order) {
      const grad = grads.get(node);
      if (node.gradFn === null && grad !== undefined) result.set(node, grad);
    }
  }
  return result;
}

function seedGradient(op: string, output: Tensor, gradOutput: Tensor | undefined): Tensor {
  if (gradOutput === undefined) {
    if (output.size !== 1) {
      throw rangeError(
        op,
        `gradOutput is required because the output is not a scalar (shape ${formatShape(output.shape)}); ` +
          `pass a cotangent of that shape, e.g. randn(${formatShape(output.shape)}, { rng: rng(0) })`,
      );
    }
    return ones(output.shape, { dtype: output.dtype });
  }
  if (!(gradOutput instanceof Tensor)) throw typeError(op, `gradOutput must be a Tensor, got ${describe(gradOutput)}`);
  if (!shapesEqual(gradOutput.shape, output.shape)) {
    throw rangeError(op, `gradOutput has shape ${formatShape(gradOutput.shape)} but the output has shape ${formatShape(output.shape)}`);
  }
  if (gradOutput.dtype !== output.dtype) {
    throw typeError(op, `gradOutput is ${gradOutput.dtype} but the output is ${output.dtype}`);
  }
  return gradOutput;
}

/** Gradients may come back in the broadcast shape of the output: sum them to the input's shape. */
function fitToInput(op: string, grad: Tensor, input: Tensor, index: number): Tensor {
  if (shapesEqual(grad.shape, input.shape)) return grad;
  if (!broadcastsTo(input.shape, grad.shape)) {
    throw new Error(
      `${op}: the gradient rule returned shape ${formatShape(grad.shape)} for input ${index} of shape ` +
        `${formatShape(input.shape)} (a bug in the op's backward)`,
    );
  }
  return sumToShape(grad, input.shape);
}

/**
 * Every tensor that requires gradients and reaches `output`, inputs before the ops that use
 * them. Iterative depth-first search, so a chain of 100,000 ops does not overflow the stack.
 *
 * @example
 * topologicalOrder(loss).map((t) => t.gradFn?.op ?? 'leaf') // e.g. ['leaf', 'matmul', 'softmax', …]
 */
export function topologicalOrder(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([output]);
  const stack: Array<{ node: Tensor; next: number }> = [{ node: output, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const inputs = frame.node.gradFn?.inputs ?? [];
    if (frame.next < inputs.length) {
      const input = inputs[frame.next++];
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push({ node: input, next: 0 });
      }
    } else {
      order.push(frame.node);
      stack.pop();
    }
  }
  return order;
}

/** The nodes through which some target is reached: only their gradients need computing. */
function neededNodes(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const needed = new Set<Tensor>();
  for (const node of order) {
    if (targets.has(node) || (node.gradFn?.inputs.some((input) => needed.has(input)) ?? false)) needed.add(node);
  }
  return needed;
}

function freedGraphError(op: string, opName: string): Error {
  return new Error(
    `${op}: the graph through '${opName}' was freed by an earlier backward pass; ` +
      `pass { retainGraph: true } to the first backward to run backward through it twice`,
  );
}
