import {
  compareThreeWays,
  composites,
  type RecordedRun,
  type RegistryEntry,
  residualLayerNorm,
  type Stage,
  type StageInputs,
  stages,
  type ThreeWayComparison,
  traceMultiHeadAttention,
} from '@attograd/attention';
import { numericalJacobianColumns, type SweepRow, stepSizeSweep } from '@attograd/gradcheck';
import { type DType, gradients, noGrad, randn, rng, Tensor, tensor } from '@attograd/tensor';
import { mistakeFor } from './mistakes';
import { type ExplorerState, maskString } from './state';

/**
 * Everything the page shows, computed from the state with attograd's public API only.
 *
 * One recorded forward pass of the attention block — the attention package's
 * `traceMultiHeadAttention` (the one multi-head implementation, W_o included) followed by
 * `residualLayerNorm` — and one autograd pass back from a seeded random cotangent dY give every
 * named value and its gradient. Each registry stage takes its inputs from that run by its own
 * `fromRun` and its outputs by `outputNames`, so the explorer keeps no table of which stage reads
 * what. An entry's hand-derived and autograd gradients are computed only when the entry is shown
 * (`entryView`, cached per view); finite differences only when asked (`checkEntry` for a verdict,
 * in a worker; `askCell` for one cell).
 */

/** Relative agreement required of the three gradients: float64 and float32. */
export const TOLERANCE: Readonly<Record<Precision, number>> = { float64: 1e-6, float32: 1e-2 };
/** Relative finite-difference step per precision (float32 needs a much larger one). */
export const FD_STEP: Readonly<Record<Precision, number>> = { float64: Math.cbrt(Number.EPSILON), float32: 1e-3 };

type Precision = 'float64' | 'float32';

/** Every registry entry, stages first in the order they run: the page walks this list and nothing else. */
export function entries(): readonly RegistryEntry[] {
  return [...stages, ...composites];
}

/** One entry at the current settings. */
export interface EntryView {
  entry: RegistryEntry;
  /** Whether this is a stage (its inputs come from the recorded run) or a composite (its own seeded inputs). */
  isStage: boolean;
  inputs: StageInputs;
  output: Tensor;
  /** Name of the output in the recorded run (`p`, `sHat`…), or the entry key when it has several outputs or is a composite. */
  outputName: string;
  /** The upstream gradient (cotangent) of the output. */
  dOut: Tensor;
  /** Hand-derived gradient per input (with the chosen mistake, when it is this entry's). */
  hand: Record<string, Tensor>;
  /** Autograd gradient per input. */
  autograd: Record<string, Tensor>;
  /** The manualBackward actually used (possibly broken). */
  manualBackward: RegistryEntry['manualBackward'];
}

export interface BlockView {
  state: ExplorerState;
  dtype: Precision;
  /** The learnable leaves x, W_q, W_k, W_v, W_o, γ, β (in `dtype`). */
  leaves: Readonly<Record<string, Tensor>>;
  /** Every named value of the recorded pass (detached), and the constants `dK`, `mask`. */
  run: RecordedRun;
  mask: Tensor | undefined;
  dY: Tensor;
  /** L = ⟨Y, G⟩ with G = dY, the seeded cotangent (as `attograd explain` writes it). */
  loss: number;
  /** ∂L/∂X through all four paths. */
  dX: Tensor;
  /** ∂L/∂(value) for every value of the run that a stage outputs. */
  upstream: Readonly<Record<string, Tensor>>;
  /** The entries' views computed so far (by key). */
  cache: Map<string, EntryView>;
}

function maskTensor(state: ExplorerState, dtype: DType): Tensor | undefined {
  if (state.mask === null && !state.causal) return undefined;
  const bits = maskString(state);
  return new Tensor(
    Float64Array.from(bits, (c) => Number(c)),
    [state.seq, state.seq],
  ).to(dtype);
}

/** The name in a recorded run of a stage's input (`fromRun`, else the input's own name). */
export function runName(stage: Stage, input: string): string {
  return stage.fromRun?.[input] ?? input;
}

/** The sizes and seed of the block (an `ExplorerState` has them; so do `attograd explain`'s options). */
export interface BlockSizes {
  readonly seq: number;
  readonly dModel: number;
  readonly heads: number;
  readonly seed: number;
}

/**
 * The learnable leaves of the block in `dtype`, detached (no gradient recorded): every
 * differentiable input of a registered stage that no stage produces (x, W_q, W_k, W_v, W_o, γ, β),
 * drawn from the first stage's own seeded input maker that takes it. The one example of the
 * explorer and of `attograd explain`.
 *
 * @example
 * const { x, wq, wo } = blockLeaves({ seq: 3, dModel: 4, heads: 1, seed: 0 }); // x: [3, 4]
 */
export function blockLeaves(sizes: BlockSizes, dtype: DType = 'float64'): Record<string, Tensor> {
  const produced = new Set(stages.flatMap((s) => s.outputNames));
  const leaves: Record<string, Tensor> = {};
  for (const stage of stages) {
    const wanted = stage.inputNames.filter((name) => !produced.has(runName(stage, name)) && leaves[runName(stage, name)] === undefined);
    if (wanted.length === 0) continue;
    const made = stage.makeInputs({ seq: sizes.seq, dModel: sizes.dModel, heads: sizes.heads, seed: sizes.seed });
    for (const name of wanted) leaves[runName(stage, name)] = made[name].detach().to(dtype);
  }
  return leaves;
}

/**
 * The block's forward pass on `leaves`, every value named as the registry's `outputNames` and
 * `fromRun` name it: multi-head attention's trace (Q, K, V; Q_heads … Z_heads; Z = concat_h(Z_h)·W_o)
 * and Y = LayerNorm(X + Z), with the constants d_k and (when given) M. Records with autograd
 * when a leaf requires gradients.
 */
export function recordBlock(leaves: Readonly<Record<string, Tensor>>, heads: number, mask: Tensor | undefined): RecordedRun {
  const { x, wq, wk, wv, wo, gamma, beta } = leaves;
  const trace = traceMultiHeadAttention(x, { wq, wk, wv, wo }, { heads, mask });
  const { q: qHeads, k: kHeads, v: vHeads, s, sHat, p, z: zHeads } = trace.heads;
  const y = residualLayerNorm(x, trace.out, { gamma, beta });
  const d = x.shape[x.rank - 1];
  return {
    ...leaves,
    q: trace.q,
    k: trace.k,
    v: trace.v,
    qHeads,
    kHeads,
    vHeads,
    s,
    sHat,
    p,
    zHeads,
    z: trace.out,
    y,
    dK: tensor(d / heads),
    ...(mask === undefined ? {} : { mask }),
  };
}

/** The seeded random cotangent dY (never all ones: see NUMERICS.md), for the explorer and `attograd explain`. */
export function cotangentFor(shape: readonly number[], seed: number, dtype: DType = 'float64'): Tensor {
  return randn(shape, { rng: rng(seed + 1_000_003), dtype });
}

function dot(a: Tensor, b: Tensor): number {
  let total = 0;
  for (let i = 0; i < a.size; i++) total += a.data[i] * b.data[i];
  return total;
}

/** L = ⟨Y(X), dY⟩ for a given X (no recording), the other leaves fixed. */
export function lossAt(view: BlockView, x: Tensor): number {
  return noGrad(() => dot(recordBlock({ ...view.leaves, x }, view.state.heads, view.mask).y, view.dY));
}

/**
 * The block pass, its cotangent and the upstream gradient of every stage output, for a state.
 * Entries are computed on demand by `entryView`. Given the previous view, reuses what the change
 * left as it was: the leaves when only the mask changed, the whole pass when only the mistake or
 * the language changed.
 *
 * @example
 * const view = computeView(parseState('?seq=4&dmodel=8').state);
 * entryView(view, 'softmax').hand.sHat // dŜ by the hand-derived backward
 */
export function computeView(state: ExplorerState, previous?: BlockView): BlockView {
  const dtype: Precision = state.dtype;
  if (previous !== undefined && sameBlock(previous.state, state)) {
    // Only the mistake or the language changed: the recorded pass is the same; the entries are redone.
    return { ...previous, state, cache: new Map() };
  }
  const leaves = previous !== undefined && sameLeaves(previous.state, state) ? previous.leaves : blockLeaves(state, dtype);
  const mask = maskTensor(state, dtype);
  const tracked: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(leaves)) tracked[name] = new Tensor(value.data, value.shape, { requiresGrad: true });
  const recorded = recordBlock(tracked, state.heads, mask);
  const dY = cotangentFor(recorded.y.shape, state.seed, dtype);
  const names = [...new Set(stages.flatMap((s) => s.outputNames))].filter((name) => recorded[name] !== undefined && name !== 'y');
  const found = gradients(recorded.y, [...names.map((name) => recorded[name]), tracked.x], { gradOutput: dY });
  const upstream: Record<string, Tensor> = { y: dY };
  names.forEach((name, i) => {
    upstream[name] = found[i];
  });
  const run: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(recorded)) run[name] = value.detach();
  return { state, dtype, leaves, run, mask, dY, loss: dot(recorded.y, dY), dX: found[names.length], upstream, cache: new Map() };
}

function sameLeaves(a: ExplorerState, b: ExplorerState): boolean {
  return a.seq === b.seq && a.dModel === b.dModel && a.heads === b.heads && a.seed === b.seed && a.dtype === b.dtype;
}

function sameBlock(a: ExplorerState, b: ExplorerState): boolean {
  return sameLeaves(a, b) && maskString(a) === maskString(b) && (a.mask !== null || a.causal) === (b.mask !== null || b.causal);
}

function viewOf(
  entry: RegistryEntry,
  isStage: boolean,
  inputs: StageInputs,
  output: Tensor,
  outputName: string,
  dOut: Tensor,
  broken: string | null,
): EntryView {
  const mistake = mistakeFor(entry.key, broken);
  const manualBackward = mistake?.manualBackward ?? entry.manualBackward;
  const autogradOf = (): Record<string, Tensor> => {
    const leaves: Record<string, Tensor> = { ...inputs };
    for (const name of entry.inputNames) leaves[name] = new Tensor(inputs[name].data, inputs[name].shape, { requiresGrad: true });
    const found = gradients(
      entry.run(leaves),
      entry.inputNames.map((n) => leaves[n]),
      { gradOutput: dOut },
    );
    const autograd: Record<string, Tensor> = {};
    entry.inputNames.forEach((name, i) => {
      autograd[name] = found[i];
    });
    return autograd;
  };
  // The gradients are computed when first read, once: the verdict worker's check computes its own
  // and never reads these; the page reads the hand-derived ones for its maps and autograd's for a cell.
  let hand: Record<string, Tensor> | undefined;
  let autograd: Record<string, Tensor> | undefined;
  return {
    entry,
    isStage,
    inputs,
    output,
    outputName,
    dOut,
    get hand() {
      hand ??= noGrad(() => manualBackward(inputs, dOut));
      return hand;
    },
    get autograd() {
      autograd ??= autogradOf();
      return autograd;
    },
    manualBackward,
  };
}

/**
 * What a stage receives: its inputs and constants, taken from a recorded run by `fromRun`. An
 * absent constant (the mask of an unmasked block) is left out.
 *
 * @throws Error naming the stage and the missing value when the run has no such input.
 * @example
 * stageInputs(stageByKey('softmax'), run) // { sHat: run.sHat } (plus mask when masked)
 */
export function stageInputs(stage: Stage, run: RecordedRun): StageInputs {
  const inputs: Record<string, Tensor> = {};
  for (const name of [...stage.inputNames, ...stage.constantNames]) {
    const value = run[runName(stage, name)];
    if (value !== undefined) inputs[name] = value;
    else if (stage.inputNames.includes(name))
      throw new Error(
        `stageInputs: the stage '${stage.key}' takes '${name}' from the recorded run's '${runName(stage, name)}', which the run does not record; it records ${Object.keys(run).join(', ')}`,
      );
  }
  return inputs;
}

function stageView(view: BlockView, stage: Stage): EntryView {
  const inputs = stageInputs(stage, view.run);
  const outputs = stage.outputNames.map((name) => view.run[name]);
  const dOutputs = stage.outputNames.map((name) => view.upstream[name]);
  // joinOutputs stacks the outputs (projection: Q, K, V) exactly as `run` returns them.
  const join = (tensors: Tensor[]): Tensor => (stage.joinOutputs === undefined ? tensors[0] : stage.joinOutputs(tensors));
  const outputName = stage.outputNames.length === 1 ? stage.outputNames[0] : stage.key;
  return viewOf(stage, true, inputs, join(outputs), outputName, join(dOutputs), view.state.broken);
}

function compositeView(view: BlockView, composite: RegistryEntry): EntryView {
  const { state, dtype, mask } = view;
  const made = composite.makeInputs({ seq: state.seq, dModel: state.dModel, heads: state.heads, seed: state.seed });
  const inputs: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(made)) inputs[name] = composite.inputNames.includes(name) ? value.detach().to(dtype) : value;
  if (composite.constantNames.includes('mask') && mask !== undefined) inputs.mask = mask;
  const output = noGrad(() => composite.run(inputs));
  return viewOf(composite, false, inputs, output, composite.key, cotangentFor(output.shape, state.seed, dtype), state.broken);
}

/**
 * The view of one registry entry (stage or composite) at the view's settings: inputs, output,
 * upstream gradient, hand-derived and autograd gradients. Computed once per view.
 *
 * @throws Error for a key that is not in the registry.
 */
export function entryView(view: BlockView, key: string): EntryView {
  const cached = view.cache.get(key);
  if (cached !== undefined) return cached;
  const stage = stages.find((s) => s.key === key);
  const composite = composites.find((c) => c.key === key);
  if (stage === undefined && composite === undefined) throw new Error(`explorer: no registry entry '${key}'`);
  const result = stage !== undefined ? stageView(view, stage) : compositeView(view, composite!);
  view.cache.set(key, result);
  return result;
}

/** The verdict of one entry: the three-way comparison and where the hand-derived gradient is furthest from finite differences. */
export interface Verdict {
  pass: boolean;
  maxRelative: number;
  worst: { name: string; index: number; hand: number; numeric: number };
  comparison: ThreeWayComparison;
}

/** Runs `compareThreeWays` (finite differences over every input element) for one entry. */
export function checkEntry(view: EntryView, dtype: Precision): Verdict {
  const entry = { ...view.entry, manualBackward: view.manualBackward };
  const comparison = compareThreeWays(entry, view.inputs, { cotangent: view.dOut, relativeStep: FD_STEP[dtype] });
  let worst = { name: view.entry.inputNames[0], index: 0, hand: 0, numeric: 0 };
  let gap = -1;
  for (const c of comparison.gradients) {
    for (let i = 0; i < c.manual.size; i++) {
      const g = Math.abs(c.manual.data[i] - c.numeric.data[i]);
      if (g > gap || Number.isNaN(g)) {
        gap = Number.isNaN(g) ? Number.POSITIVE_INFINITY : g;
        worst = { name: c.name, index: i, hand: c.manual.data[i], numeric: c.numeric.data[i] };
      }
    }
  }
  const pass = Number.isFinite(comparison.maxRelative) && comparison.maxRelative <= TOLERANCE[dtype];
  return { pass, maxRelative: comparison.maxRelative, worst, comparison };
}

/** One term dOut_j·∂out_j/∂in_i of a gradient cell's chain-rule sum. */
export interface Term {
  outIndex: number;
  dOut: number;
  partial: number;
  term: number;
}

/** A gradient cell asked three ways, with the terms of its chain-rule sum (largest first). */
export interface CellAnswer {
  hand: number;
  autograd: number;
  numeric: number;
  terms: Term[];
}

/**
 * The gradient of input `name` at flat `index`: hand-derived, autograd, and by central
 * differences — one Jacobian column from @attograd/gradcheck, whose entries weighted by dOut are
 * exactly the terms of the chain-rule sum. gradcheck differentiates float32 inputs on float64
 * copies, so the entry's constants (mask, d_k) are given in the same dtype as the inputs it receives.
 */
export function askCell(view: EntryView, name: string, index: number, dtype: Precision): CellAnswer {
  const { entry, inputs } = view;
  const order = entry.inputNames;
  const fn = (...values: Tensor[]): Tensor => {
    const at: Record<string, Tensor> = {};
    for (const [n, value] of Object.entries(inputs)) at[n] = value.dtype === values[0].dtype ? value : value.to(values[0].dtype);
    order.forEach((n, i) => {
      at[n] = values[i];
    });
    return entry.run(at);
  };
  const columns = numericalJacobianColumns(
    fn,
    order.map((n) => inputs[n]),
    order.indexOf(name),
    index,
    index + 1,
    { eps: FD_STEP[dtype] },
  );
  const terms: Term[] = [];
  let numeric = 0;
  for (let j = 0; j < columns.outputSize; j++) {
    const partial = columns.values[j];
    const term = view.dOut.data[j] * partial;
    numeric += term;
    if (partial !== 0) terms.push({ outIndex: j, dOut: view.dOut.data[j], partial, term });
  }
  terms.sort((a, b) => Math.abs(b.term) - Math.abs(a.term));
  return { hand: view.hand[name].data[index], autograd: view.autograd[name].data[index], numeric, terms };
}

/**
 * The step-size sweep of the nudge panel: central differences of the block's Y with respect to X
 * against autograd, for steps from 1 down to 1e-12 (gradcheck differentiates float32 inputs on
 * float64 copies, so the other leaves and the mask are given in float64) — truncation error falling with the step, then round-off rising. It depends on the
 * problem only (not on the nudged element), and runs in the page's check worker.
 */
export function nudgeSweep(view: BlockView): SweepRow[] {
  const x = view.leaves.x.clone();
  x.requiresGrad = true;
  const others: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(view.leaves)) others[name] = value.to('float64');
  const mask = view.mask?.to('float64');
  const at = (moved: Tensor): Tensor => recordBlock({ ...others, x: moved }, view.state.heads, mask).y;
  return stepSizeSweep(at, [x], { from: 1, to: 1e-12 });
}
