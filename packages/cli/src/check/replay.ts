import type { GradcheckFn } from '@attograd/gradcheck';
import {
  add, div, exp, layerNorm, log, matmulTransposed, max, mul, neg, permute, reshape, scale, softmax, sqrt, sub, sum, where,
} from '@attograd/ops';
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
 * Only for fns that are pure compositions of @attograd/ops (the built-in checks): the replay
 * calls the same public op for each recorded node, and is used only after replaying every node
 * at the recorded point has reproduced every recorded value bit for bit. Otherwise (an op not
 * known here, such as a user's own op), fn itself is returned.
 */

type Replay = (inputs: readonly Tensor[], attrs: Readonly<Record<string, unknown>>) => Tensor;

/** The axes a reduction with this kept shape reduced, and whether it kept them. */
function reduction(x: Tensor, attrs: Readonly<Record<string, unknown>>): [number[], boolean] {
  const kept = attrs.keptShape as readonly number[];
  const out = attrs.outShape as readonly number[];
  return [kept.flatMap((size, axis) => (size === 1 && x.shape[axis] !== 1 ? [axis] : [])), out.length === x.rank];
}

/** One public call per recorded op name, rebuilt from the recorded attributes. */
const REPLAY: Readonly<Record<string, Replay>> = {
  add: ([a, b]) => add(a, b),
  sub: ([a, b]) => sub(a, b),
  mul: ([a, b]) => mul(a, b),
  div: ([a, b]) => div(a, b),
  neg: ([x]) => neg(x),
  exp: ([x]) => exp(x),
  log: ([x]) => log(x),
  sqrt: ([x]) => sqrt(x),
  scale: ([x], { factor }) => scale(x, factor as number),
  matmul: ([a, b], { transposeA, transposeB }) => matmulTransposed(a, b, transposeA as boolean, transposeB as boolean),
  permute: ([x], { dims }) => permute(x, dims as number[]),
  reshape: ([x], { shape }) => reshape(x, shape as number[]),
  sum: ([x], attrs) => sum(x, ...reduction(x, attrs)),
  max: ([x], attrs) => max(x, ...reduction(x, attrs)),
  softmax: ([x], { axis }) => softmax(x, axis as number),
  where: ([a, b], { condition }) => where(condition as Tensor, a, b),
  layerNorm: ([x, gamma, beta], { eps }) => layerNorm(x, gamma, beta, eps as number),
};

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
  if (nodes.some((node) => REPLAY[node.gradFn?.op ?? ''] === undefined)) return null;
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
    const { op, attrs } = recording.nodes[n].gradFn ?? { op: '', attrs: {} };
    const inputs = recording.sources[n].map((source) => (typeof source === 'number' ? fresh[source] ?? recording.nodes[source] : source));
    fresh[n] = REPLAY[op](inputs, attrs);
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
