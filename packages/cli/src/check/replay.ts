import type { GradcheckFn } from '@attograd/gradcheck';
import { isGradEnabled, shapesEqual, type Tensor, topologicalOrder, withGradMode } from '@attograd/tensor';
import type { CheckCase } from './types';

/**
 * Finite differences that re-evaluate only what a perturbation changes. Finite differences
 * perturb one element of one input at a time; every op that does not depend on that input gives
 * the same values as before. `replayable` records the graph of fn once, and returns an fn that,
 * when called without recording (as gradcheck does for every finite difference), finds which
 * inputs differ from the recorded point and recomputes only the ops downstream of them, reusing
 * the recorded values of the rest. For single-head attention, perturbing W_q leaves K = X·W_k
 * and V = X·W_v as they were: two of the three projections are skipped for 3/4 of the columns.
 *
 * Only for fns whose whole output is a recorded graph of ops (the built-in checks): each node is
 * recomputed by its own op (`gradFn.apply` with the recorded attributes), and the replay is used
 * only after replaying every node at the recorded point has reproduced every recorded value bit
 * for bit. Otherwise fn itself is returned.
 */

/**
 * The recorded graph, ready to replay: its nodes in order (inputs first), each with where its
 * inputs come from (a recorded tensor, or the position of an earlier node), and for each input of
 * fn the positions of the nodes that depend on it.
 */
interface Recording {
  nodes: Tensor[];
  sources: (Tensor | number)[][];
  downstream: number[][];
  output: Tensor;
}

function record(c: CheckCase): Recording | null {
  const output = withGradMode(true, () => c.fn(...c.inputs));
  if (!output.requiresGrad || output.gradFn === null) return null;
  const nodes = topologicalOrder(output).filter((node) => node.gradFn !== null);
  const position = new Map(nodes.map((node, i) => [node, i]));
  const sources = nodes.map((node) => (node.gradFn?.inputs ?? []).map((input) => position.get(input) ?? input));
  // dependsOn[n]: the fn inputs node n depends on, through its sources.
  const dependsOn: Set<number>[] = [];
  const leafOf = new Map(c.inputs.map((input, i) => [input, i]));
  sources.forEach((list, n) => {
    const set = new Set<number>();
    for (const source of list) {
      if (typeof source === 'number') for (const i of dependsOn[source]) set.add(i);
      else if (leafOf.has(source)) set.add(leafOf.get(source) as number);
    }
    dependsOn.push(set);
  });
  const downstream = c.inputs.map((_, i) => nodes.flatMap((_, n) => (dependsOn[n].has(i) ? [n] : [])));
  return { nodes, sources, downstream, output };
}

/** Replays the nodes at `positions` (in order), taking every other value as recorded. */
function evaluate(recording: Recording, positions: readonly number[]): (Tensor | undefined)[] {
  const fresh: (Tensor | undefined)[] = new Array(recording.nodes.length);
  for (const n of positions) {
    const gradFn = recording.nodes[n].gradFn;
    if (gradFn === null) continue; // record() keeps only nodes with a gradFn
    const inputs = recording.sources[n].map((source) => (typeof source === 'number' ? fresh[source] ?? recording.nodes[source] : source));
    fresh[n] = gradFn.apply(inputs, gradFn.attrs);
  }
  return fresh;
}

function sameValues(a: Tensor, b: Tensor): boolean {
  if (!shapesEqual(a.shape, b.shape)) return false;
  for (let i = 0; i < a.size; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}

/** True when `now` differs from `then` anywhere (NaN equal to NaN). */
function differs(now: ArrayLike<number>, then: ArrayLike<number>): boolean {
  for (let k = 0; k < now.length; k++) {
    const a = now[k];
    const b = then[k];
    if (a !== b && (a === a || b === b)) return true;
  }
  return false;
}

/**
 * fn, or an equivalent fn that re-evaluates only what changed since the recorded point when
 * called without recording on tensors that share the recorded inputs' buffers.
 *
 * @example
 * const fast = replayable(c);
 * numericalJacobianColumns(fast, c.inputs, 1, 0, c.inputs[1].size); // same numbers, less work
 */
export function replayable(c: CheckCase): GradcheckFn {
  const recording = record(c);
  if (recording === null) return c.fn;
  const all = recording.nodes.map((_, n) => n);
  const replayed = withGradMode(false, () => evaluate(recording, all));
  if (!recording.nodes.every((node, n) => sameValues(replayed[n] as Tensor, node))) return c.fn;
  const point = c.inputs.map((input) => input.data.slice());
  const last = recording.nodes.length - 1;
  return (...inputs) => {
    // Recording (autograd needs the real graph), or other tensors than the recorded ones: fn itself.
    if (isGradEnabled() || inputs.length !== c.inputs.length || inputs.some((input, i) => input.data !== c.inputs[i].data)) {
      return c.fn(...inputs);
    }
    const dirty = c.inputs.flatMap((input, i) => (differs(input.data, point[i]) ? [i] : []));
    if (dirty.length === 0) return recording.output;
    const positions = dirty.length === 1 ? recording.downstream[dirty[0]] : all;
    return evaluate(recording, positions)[last] ?? recording.output;
  };
}
