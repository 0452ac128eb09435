import { derivations } from '@attograd/ops';
import { formatShape, topologicalOrder, type Tensor } from '@attograd/tensor';
import { formatNumber } from './number-format';

/** One node of a recorded computation graph: an op's output, or a leaf tensor. */
export interface GraphNode {
  /** `n0`, `n1`, … in topological order (inputs before the ops that use them). */
  readonly id: string;
  /** The op that produced this tensor (`gradFn.op`), or null for a leaf. */
  readonly op: string | null;
  /** A display name: the given name of the tensor, else its op, else 'leaf'. */
  readonly name: string;
  readonly shape: readonly number[];
  /** The label recorded with the op (`gradFn.label`, e.g. the attention stage), if any. */
  readonly stage: string | undefined;
  /** The backward rule of the op from @attograd/ops `derivations` (formulas joined by '; '), if known. */
  readonly rule: string | undefined;
  /** A leaf that does not require gradients (a constant such as a mask). */
  readonly constant: boolean;
}

/** An edge from an op's input to the op's output. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}

/** A recorded autograd graph, ready to print or draw. */
export interface ComputationGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * Reads the graph autograd recorded for `outputs` (before backward frees it): every tensor reached
 * through `gradFn.inputs`, in topological order, with its op, shape, stage label (`gradFn.label`)
 * and backward rule. `names` gives display names to chosen tensors (X, W_q, Q, P, …).
 *
 * @throws Error when a graph was already freed by a backward pass (run it with retainGraph, or trace again).
 * @example
 * const graph = recordedGraph([trace.y], new Map([[x, 'X']]));
 */
export function recordedGraph(outputs: readonly Tensor[], names: ReadonlyMap<Tensor, string> = new Map()): ComputationGraph {
  const ids = new Map<Tensor, string>();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const visit = (tensor: Tensor): string => {
    const known = ids.get(tensor);
    if (known !== undefined) return known;
    const id = `n${nodes.length}`;
    ids.set(tensor, id);
    nodes.push(nodeOf(tensor, id, names.get(tensor)));
    return id;
  };
  for (const output of outputs) {
    for (const tensor of topologicalOrder(output)) {
      const gradFn = tensor.gradFn;
      if (gradFn !== null && gradFn.vjp === null && gradFn.inputs.length === 0) {
        throw new Error(
          `recordedGraph: the graph of ${gradFn.op} was freed by a backward pass; build the graph before backward or pass retainGraph`,
        );
      }
      // Constant inputs (no gradient) are not in the topological order; show them as leaves.
      const inputIds = (gradFn?.inputs ?? []).map(visit);
      const id = visit(tensor);
      for (const from of inputIds) edges.push({ from, to: id });
    }
  }
  return { nodes, edges };
}

function nodeOf(tensor: Tensor, id: string, name: string | undefined): GraphNode {
  const op = tensor.gradFn?.op ?? null;
  const derivation = op === null ? undefined : derivations[op];
  return {
    id,
    op,
    name: name ?? tensor.name ?? op ?? (tensor.size === 1 && !tensor.requiresGrad ? formatNumber(tensor.data[0]) : 'leaf'),
    shape: tensor.shape,
    stage: tensor.gradFn?.label,
    rule: derivation === undefined ? undefined : Object.values(derivation.backward).join('; '),
    constant: op === null && !tensor.requiresGrad,
  };
}

/**
 * The one-line label of a node: `name = op [shape]` or `name [shape]` for a leaf.
 *
 * @example
 * nodeLabel(node) // 'P = softmax [3, 3]'
 */
export function nodeLabel(node: GraphNode): string {
  const shape = formatShape(node.shape);
  if (node.op === null) return `${node.name} ${shape}`;
  return node.name === node.op ? `${node.op} ${shape}` : `${node.name} = ${node.op} ${shape}`;
}

/**
 * Nodes grouped by stage label, in first-appearance order; leaves and unlabelled ops under ''.
 *
 * @example
 * [...nodesByStage(graph).keys()] // ['', 'projection', 'scores', …]
 */
export function nodesByStage(graph: ComputationGraph): Map<string, GraphNode[]> {
  const groups = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    const key = node.stage ?? '';
    groups.set(key, [...(groups.get(key) ?? []), node]);
  }
  return groups;
}
