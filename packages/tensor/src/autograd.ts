import { describe, formatShape, rangeError, typeError } from './errors';
import { withGradMode } from './grad-mode';
import { addGradients, clone, sumToShape } from './primitives';
import { trackCreated } from './ownership';
import { keepsNoGradients } from './op';
import { GradientRecycler } from './recycle';
import { isBufferPoolOn } from './buffer-pool';
import type { TensorData } from './dtype';
import { broadcastsTo, shapesEqual } from './shape';
import { Tensor, type BackwardOptions } from './tensor';
import { ones, zeros } from './create';
import { checkAnomaly, inBackwardOf, isAnomalyDetectionEnabled } from './anomaly';

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
  /**
   * Return a zero gradient for an input the output does not depend on, instead of throwing
   * (PyTorch's `allow_unused`, except that attograd returns zeros rather than None). Default: false.
   */
  allowUnused?: boolean;
}

/**
 * d(output)/d(input) for each input, contracted with `gradOutput` (the vector-Jacobian product),
 * like `torch.autograd.grad`. `.grad` is not touched. An input the output does not depend on is
 * an error (often a mistake, e.g. differentiating through a detached copy), unless
 * `allowUnused: true`, which gives it a zero gradient. With `createGraph: true` the results are
 * differentiable. The results are new tensors: none shares a buffer with another, with the
 * cotangent or with any tensor of the graph.
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
      throw typeError(
        'gradients',
        `inputs[${i}] (shape ${formatShape(input.shape)}) does not require gradients; create it with { requiresGrad: true }`,
      );
    }
  });
  const createGraph = options.createGraph ?? false;
  const grads = runBackward(output, options.gradOutput, inputs, {
    createGraph,
    retainGraph: options.retainGraph ?? createGraph,
    op: 'gradients',
    allowUnused: options.allowUnused === true,
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
    allowUnused: true,
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
  /** When false, a target the output does not depend on is an error (raised before anything runs). */
  allowUnused: boolean;
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
  const created = new Set<TensorData>();
  const seed = trackCreated(created, () => seedGradient(op, output, gradOutput));
  const order = topologicalOrder(output);
  const targetSet = targets === null ? null : new Set(targets);
  // A target the output does not reach is an error, found before anything runs. Behind a freed
  // node the graph is unknown: the driver then stops at that node with the freed-graph error.
  const freedSeen = () => order.some((node) => node.gradFn !== null && node.gradFn.vjp === null && !targetSet?.has(node));
  if (targets !== null && !options.allowUnused && !freedSeen()) {
    const reached = new Set(order);
    targets.forEach((target, i) => {
      if (!reached.has(target)) throw unusedInputError(target, i);
    });
  }
  const needed = targetSet === null ? null : neededNodes(order, targetSet);

  const grads = new Map<Tensor, Tensor>([[output, seed]]);
  const ran: Tensor[] = [];
  // What the user may hold besides the results, found once, before the pass frees any input
  // list: the pool never takes these buffers, and a result made of one of them is copied.
  const held = heldBuffers(order, gradOutput);
  // Intermediate gradients go back to the buffer pool once dead (never with createGraph).
  const recycler = options.createGraph || !isBufferPoolOn() ? null : new GradientRecycler(created, held);
  recycler?.hold(seed);
  const pass = () => {
    for (let n = order.length - 1; n >= 0; n--) {
      const node = order[n];
      const dOut = grads.get(node);
      const gradFn = node.gradFn;
      if (dOut === undefined || gradFn === null) continue;
      if (gradFn.vjp === null) {
        // A freed node forgets its inputs, so whether a target lies behind it is unknown: only a
        // target itself may be reached through it.
        if (targetSet?.has(node)) continue;
        throw freedGraphError(op, gradFn.op);
      }
      // Run a rule only if some input leads to a target (a target itself need not pass further).
      if (needed !== null && !gradFn.inputs.some((input) => needed.has(input))) continue;
      const vjp = gradFn.vjp;
      // A rule that did not promise to keep no gradient (a user's op) may keep what it sees.
      const mayKeep = recycler !== null && !keepsNoGradients(gradFn);
      if (mayKeep) recycler.keep(dOut);
      const inputGrads = isAnomalyDetectionEnabled() ? inBackwardOf(gradFn.op, gradFn.label, () => vjp(dOut)) : vjp(dOut);
      if (mayKeep) for (const grad of inputGrads) if (grad !== null) recycler.keep(grad);
      ran.push(node);
      gradFn.inputs.forEach((input, i) => {
        const grad = inputGrads[i];
        if (!input.requiresGrad || grad === null || grad === undefined) return;
        if (isAnomalyDetectionEnabled()) checkAnomaly('backward', gradFn.op, gradFn.label, [dOut], grad, `the gradient of input ${i}`);
        if (needed !== null && !needed.has(input)) return;
        const fitted = fitToInput(gradFn.op, grad, input, i);
        const previous = grads.get(input);
        const sum = previous === undefined ? fitted : (recycler?.accumulated(previous, fitted) ?? addGradients(previous, fitted));
        grads.set(input, sum);
        recycler?.replaced(sum, previous, fitted);
      });
      if (recycler !== null && !(targetSet?.has(node) ?? false)) {
        grads.delete(node); // no result: its gradient is dead once its rule has run
        recycler.drop(dOut);
      }
    }
  };
  withGradMode(options.createGraph, () => trackCreated(created, pass));

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
  return ownedGradients(result, created, held, options.createGraph);
}

/**
 * The buffers of the graph (every node's values and every recorded op's inputs, constants
 * included) and of the cotangent: what the user may hold, so the driver never recycles them nor
 * hands one out as a gradient. One walk, before the pass frees the nodes it ran.
 */
function heldBuffers(order: readonly Tensor[], gradOutput: Tensor | undefined): Set<TensorData> {
  const held = new Set<TensorData>();
  if (gradOutput !== undefined) held.add(gradOutput.data);
  for (const node of order) {
    held.add(node.data);
    const inputs = node.gradFn?.inputs;
    if (inputs !== undefined) for (let i = 0; i < inputs.length; i++) held.add(inputs[i].data);
  }
  return held;
}

/**
 * Makes sure no two results share a buffer, and that none shares one with the cotangent or a
 * tensor of the graph (`held`, see heldBuffers and ownership.ts): a result is copied unless its
 * buffer was made during the pass and is neither held nor handed out already. The copy is the
 * recorded `clone` op when the gradients are themselves differentiable (createGraph).
 */
function ownedGradients(
  result: Map<Tensor, Tensor>,
  created: ReadonlySet<TensorData>,
  held: ReadonlySet<TensorData>,
  createGraph: boolean,
): Map<Tensor, Tensor> {
  const handedOut = new Set<TensorData>();
  for (const [target, grad] of result) {
    const owned = created.has(grad.data) && !held.has(grad.data) && !handedOut.has(grad.data);
    const handed = owned ? grad : withGradMode(createGraph, () => clone(grad));
    handedOut.add(handed.data);
    result.set(target, handed);
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
    throw new RangeError(
      `${op}: the gradient rule returned shape ${formatShape(grad.shape)} for input ${index} of shape ` +
        `${formatShape(input.shape)}, which cannot be summed back to it (a bug in the op's backward)`,
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

/**
 * The nodes through which some target is reached: only their gradients need computing. A node
 * freed by an earlier pass has forgotten its inputs, so a target may lie behind it: it counts as
 * needed, and the driver then stops there with the freed-graph error instead of dropping the
 * gradient that should have flowed through it.
 */
function neededNodes(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const needed = new Set<Tensor>();
  for (const node of order) {
    const gradFn = node.gradFn;
    const freed = gradFn !== null && gradFn.vjp === null;
    if (targets.has(node) || freed || (gradFn?.inputs.some((input) => needed.has(input)) ?? false)) needed.add(node);
  }
  return needed;
}

function unusedInputError(input: Tensor, index: number): Error {
  const label = input.gradFn?.label === undefined ? '' : `, stage ${input.gradFn.label}`;
  const name = input.name === undefined ? '' : ` '${input.name}'`;
  return new Error(
    `gradients: inputs[${index}]${name} (shape ${formatShape(input.shape)}${label}) was not used to compute the output, ` +
      `so it has no gradient (differentiating through a detach() or a copy made under noGrad is a common cause); ` +
      `pass { allowUnused: true } to get zeros for it`,
  );
}

function freedGraphError(op: string, opName: string): Error {
  return new Error(
    `${op}: the graph through '${opName}' was freed by an earlier backward pass; ` +
      `pass { retainGraph: true } to the first backward to run backward through it twice`,
  );
}
