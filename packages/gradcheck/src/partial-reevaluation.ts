import { isGradEnabled, shapesEqual, type Tensor, topologicalOrder, withGradMode } from '@attograd/tensor';
import { stepFor } from './numerical';
import { CENTRAL_EPS } from './options';
import type { GradcheckFn } from './types';

/**
 * Finite differences that re-evaluate only what a perturbation changes. A finite difference
 * perturbs one element of one input; every op that does not depend on that input gives the same
 * values as at the unperturbed point. `partiallyReevaluated` records the graph of fn once, and
 * returns an fn that, when called without recording (as every finite difference is) on the same
 * input buffers, finds which inputs differ from the recorded point and recomputes only the ops
 * downstream of them (`gradFn.recompute`), reusing the recorded values of the rest. For
 * single-head attention, perturbing W_q leaves K = X·W_k and V = X·W_v as they were.
 *
 * The replay is used only when it provably stands in for fn at this point: replaying every node
 * at the recorded point reproduces every recorded value bit for bit, and, for each input, moving
 * all of its elements gives bit for bit the output of fn itself. An fn that computes part of its
 * output outside recorded ops (from raw `.data`, a rule written without ops, a random op) fails
 * that test, and fn itself is used.
 */

/**
 * The recorded graph, ready to replay: its nodes in order (inputs first), where each node's
 * inputs come from (a recorded tensor, or the position of an earlier node), and for each input
 * of fn the positions of the nodes that depend on it.
 */
interface Recording {
  nodes: Tensor[];
  sources: (Tensor | number)[][];
  downstream: number[][];
  output: Tensor;
}

function record(fn: GradcheckFn, inputs: readonly Tensor[]): Recording | null {
  const output = withGradMode(true, () => fn(...inputs));
  if (!output.requiresGrad || output.gradFn === null) return null;
  const nodes = topologicalOrder(output).filter((node) => node.gradFn !== null);
  const position = new Map(nodes.map((node, i) => [node, i]));
  const sources = nodes.map((node) => (node.gradFn?.inputs ?? []).map((input) => position.get(input) ?? input));
  // dependsOn[n]: the fn inputs node n depends on, through its sources.
  const dependsOn: Set<number>[] = [];
  const leafOf = new Map(inputs.map((input, i) => [input, i]));
  sources.forEach((list) => {
    const set = new Set<number>();
    for (const source of list) {
      if (typeof source === 'number') for (const i of dependsOn[source]) set.add(i);
      else if (leafOf.has(source)) set.add(leafOf.get(source) as number);
    }
    dependsOn.push(set);
  });
  const downstream = inputs.map((_, i) => nodes.flatMap((_, n) => (dependsOn[n].has(i) ? [n] : [])));
  return { nodes, sources, downstream, output };
}

/** Replays the nodes at `positions` (in order), taking every other value as recorded. */
function evaluate(recording: Recording, positions: readonly number[]): (Tensor | undefined)[] {
  const fresh: (Tensor | undefined)[] = new Array(recording.nodes.length);
  for (const n of positions) {
    const gradFn = recording.nodes[n].gradFn;
    if (gradFn === null) continue; // record() keeps only nodes with a gradFn
    const inputs = recording.sources[n].map((source) => (typeof source === 'number' ? (fresh[source] ?? recording.nodes[source]) : source));
    fresh[n] = gradFn.recompute(inputs);
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
 * True when, for each input in turn with every element moved by a finite-difference step (up and
 * down in turn), the replay gives bit for bit what fn gives: nothing in the output depends on an
 * input outside the graph. What fn throws propagates (the input restored first).
 */
function replayMatchesFn(fn: GradcheckFn, inputs: readonly Tensor[], replay: GradcheckFn, eps: number): boolean {
  return withGradMode(false, () =>
    inputs.every((input) => {
      const saved = input.data.slice();
      try {
        for (let k = 0; k < saved.length; k++) input.data[k] = saved[k] + stepFor(saved[k], eps) * (k % 2 === 0 ? 1 : -1);
        return sameValues(replay(...inputs), fn(...inputs));
      } finally {
        input.data.set(saved);
      }
    }),
  );
}

/**
 * fn, or an equivalent fn that re-evaluates only what changed since the recorded point when
 * called without recording on tensors that share `inputs`' buffers (any other call runs fn
 * itself). Records fn once at `inputs` (their values are restored bit for bit); `eps` is the
 * relative step of the validation moves (the finite differences' own, default `CENTRAL_EPS`).
 *
 * @example
 * const fast = partiallyReevaluated(fn, [x, w]);
 * numericalJacobianColumns(fast, [x, w], 1, 0, w.size); // the same numbers, less work
 */
export function partiallyReevaluated(fn: GradcheckFn, inputs: readonly Tensor[], eps: number = CENTRAL_EPS): GradcheckFn {
  const recording = record(fn, inputs);
  if (recording === null) return fn;
  const all = recording.nodes.map((_, n) => n);
  const replayed = withGradMode(false, () => evaluate(recording, all));
  if (!recording.nodes.every((node, n) => sameValues(replayed[n] as Tensor, node))) return fn;
  const point = inputs.map((input) => input.data.slice());
  const last = recording.nodes.length - 1;
  const replay: GradcheckFn = (...args) => {
    // Recording (autograd needs the real graph), or other tensors than the recorded ones: fn itself.
    if (isGradEnabled() || args.length !== inputs.length || args.some((arg, i) => arg.data !== inputs[i].data)) return fn(...args);
    const dirty = inputs.flatMap((input, i) => (differs(input.data, point[i]) ? [i] : []));
    if (dirty.length === 0) return recording.output;
    const positions = dirty.length === 1 ? recording.downstream[dirty[0]] : all;
    return evaluate(recording, positions)[last] ?? recording.output;
  };
  return replayMatchesFn(fn, inputs, replay, eps) ? replay : fn;
}

const cache = new WeakMap<GradcheckFn, { inputs: readonly Tensor[]; replay: GradcheckFn }>();

/**
 * `partiallyReevaluated`, remembered per fn and inputs: callers that compute one range of
 * columns at a time (worker threads) record the graph once.
 */
export function cachedPartiallyReevaluated(fn: GradcheckFn, inputs: readonly Tensor[], eps: number): GradcheckFn {
  const known = cache.get(fn);
  if (known !== undefined && known.inputs.length === inputs.length && known.inputs.every((input, i) => input === inputs[i]))
    return known.replay;
  const replay = partiallyReevaluated(fn, inputs, eps);
  cache.set(fn, { inputs: inputs.slice(), replay });
  return replay;
}
