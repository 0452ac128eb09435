import {
  blockGradients, compareThreeWays, composites, stages, traceBlock,
  type BlockTrace, type RegistryEntry, type StageInputs, type ThreeWayComparison,
} from '@attograd/attention';
import { numericalJacobianColumns } from '@attograd/gradcheck';
import { gradients, noGrad, randn, rng, Tensor, type DType } from '@attograd/tensor';
import { mistakeFor } from './mistakes';
import { maskString, type ExplorerState } from './state';

/**
 * Everything the page shows, computed from the state with attograd's public API only: one
 * recorded block pass (`traceBlock`), the upstream gradient of every stage (`blockGradients`),
 * and for each registry entry its inputs, output and gradients by hand and by autograd. Finite
 * differences (the slow part) are computed on demand: `checkEntry` for a verdict, `askCell` for
 * one cell.
 */

/** Relative agreement required of the three gradients: float64 and float32. */
export const TOLERANCE: Readonly<Record<DType, number>> = { float64: 1e-6, float32: 1e-2, int32: 0 } as Record<DType, number>;
/** Relative finite-difference step per precision (float32 needs a much larger one). */
export const FD_STEP: Readonly<Record<DType, number>> = { float64: Math.cbrt(Number.EPSILON), float32: 1e-3, int32: 0 } as Record<DType, number>;

/** Every registry entry, stages first: the page walks this list and nothing else. */
export const entries: readonly RegistryEntry[] = [...stages, ...composites];

/** One entry at the current settings. */
export interface EntryView {
  entry: RegistryEntry;
  /** Whether this is a stage (its inputs come from the block pass) or a composite (its own seeded inputs). */
  isStage: boolean;
  inputs: StageInputs;
  output: Tensor;
  /** Name of the output among the pass's values (`p`, `sHat`…), or the entry key. */
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
  dtype: DType;
  trace: BlockTrace;
  mask: Tensor | undefined;
  dY: Tensor;
  /** L = ⟨Y, dY⟩. */
  loss: number;
  /** ∂L/∂X through all four paths. */
  dX: Tensor;
  views: EntryView[];
}

function maskTensor(state: ExplorerState, dtype: DType): Tensor | undefined {
  if (state.mask === null && !state.causal) return undefined;
  const bits = maskString(state);
  return new Tensor(Float64Array.from(bits, (c) => Number(c)), [state.seq, state.seq]).to(dtype);
}

/** The leaves of the block, from the registry's seeded input maker for the attention block. */
export function blockLeaves(state: ExplorerState, dtype: DType): Record<string, Tensor> {
  const block = composites.find((c) => c.key === 'attentionBlock')!;
  const made = block.makeInputs({ seq: state.seq, dModel: state.dModel, seed: state.seed });
  const leaves: Record<string, Tensor> = {};
  for (const name of block.inputNames) leaves[name] = made[name].to(dtype);
  return leaves;
}

/** The seeded random cotangent dY (never all ones), as `attograd explain` draws it. */
export function cotangentFor(shape: readonly number[], seed: number, dtype: DType): Tensor {
  return randn(shape, { rng: rng(seed + 1_000_003), dtype });
}

function dot(a: Tensor, b: Tensor): number {
  let total = 0;
  for (let i = 0; i < a.size; i++) total += a.data[i] * b.data[i];
  return total;
}

/** L = ⟨Y(X), dY⟩ for a given X (no recording), the other leaves fixed. */
export function lossAt(view: BlockView, x: Tensor): number {
  const { trace } = view;
  return noGrad(() => {
    const again = traceBlock(x, trace, { heads: view.state.heads, mask: view.mask });
    return dot(again.y, view.dY);
  });
}

function nameOf(trace: BlockTrace, tensor: Tensor, fallback: string): string {
  for (const [name, value] of Object.entries(trace)) if (value === tensor) return name;
  return fallback;
}

function leafCopies(entry: RegistryEntry, inputs: StageInputs): Record<string, Tensor> {
  const copies: Record<string, Tensor> = { ...inputs };
  for (const name of entry.inputNames) copies[name] = new Tensor(inputs[name].data.slice(), inputs[name].shape, { requiresGrad: true });
  return copies;
}

function viewOf(entry: RegistryEntry, isStage: boolean, inputs: StageInputs, output: Tensor, outputName: string, dOut: Tensor, broken: string | null): EntryView {
  const mistake = mistakeFor(entry.key, broken);
  const manualBackward = mistake?.manualBackward ?? entry.manualBackward;
  const hand = noGrad(() => manualBackward(inputs, dOut));
  const leaves = leafCopies(entry, inputs);
  const found = gradients(entry.run(leaves), entry.inputNames.map((n) => leaves[n]), { gradOutput: dOut });
  const autograd: Record<string, Tensor> = {};
  entry.inputNames.forEach((name, i) => { autograd[name] = found[i]; });
  return { entry, isStage, inputs, output, outputName, dOut, hand, autograd, manualBackward };
}

/**
 * The block pass and every entry's values and gradients for a state.
 *
 * @example
 * const view = computeView(parseState('?seq=4&dmodel=8'));
 */
export function computeView(state: ExplorerState): BlockView {
  const dtype: DType = state.dtype;
  const leaves = blockLeaves(state, dtype);
  const mask = maskTensor(state, dtype);
  const { x, wq, wk, wv, gamma, beta } = leaves;
  const trace = traceBlock(x, { wq, wk, wv, gamma, beta }, { heads: state.heads, mask });
  const dY = cotangentFor(trace.y.shape, state.seed, dtype);
  const grads = blockGradients(trace, dY);
  const views: EntryView[] = [];
  for (const stage of stages) {
    const inputs = noGrad(() => detachAll(stage.traceInputs(trace)));
    const output = stage.traceOutput(trace);
    views.push(viewOf(stage, true, inputs, output.detach(), nameOf(trace, output, stage.key), stage.traceOutput(grads), state.broken));
  }
  for (const composite of composites) {
    const made = composite.makeInputs({ seq: state.seq, dModel: state.dModel, heads: state.heads, seed: state.seed });
    const inputs: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(made)) inputs[name] = value.dtype === 'float64' && composite.inputNames.includes(name) ? value.to(dtype).detach() : value;
    if (composite.constantNames.includes('mask') && mask !== undefined) inputs.mask = mask;
    const output = noGrad(() => composite.run(inputs));
    views.push(viewOf(composite, false, inputs, output, composite.key, cotangentFor(output.shape, state.seed, dtype), state.broken));
  }
  return { state, dtype, trace, mask, dY, loss: dot(trace.y, dY), dX: grads.x, views };
}

function detachAll(inputs: StageInputs): StageInputs {
  const out: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(inputs)) out[name] = value.detach();
  return out;
}

/** The verdict of one entry: the three-way comparison and where the hand-derived gradient is furthest from finite differences. */
export interface Verdict {
  pass: boolean;
  maxRelative: number;
  worst: { name: string; index: number; hand: number; numeric: number };
  comparison: ThreeWayComparison;
}

/** Runs `compareThreeWays` (finite differences over every input element) for one entry. */
export function checkEntry(view: EntryView, dtype: DType): Verdict {
  const entry = { ...view.entry, manualBackward: view.manualBackward };
  const comparison = compareThreeWays(entry, view.inputs, { cotangent: view.dOut, relativeStep: FD_STEP[dtype] });
  let worst = { name: view.entry.inputNames[0], index: 0, hand: 0, numeric: 0 };
  let gap = -1;
  for (const c of comparison.gradients) {
    for (let i = 0; i < c.manual.size; i++) {
      const g = Math.abs(c.manual.data[i] - c.numeric.data[i]);
      if (g > gap || Number.isNaN(g)) { gap = Number.isNaN(g) ? Infinity : g; worst = { name: c.name, index: i, hand: c.manual.data[i], numeric: c.numeric.data[i] }; }
    }
  }
  const pass = Number.isFinite(comparison.maxRelative) && comparison.maxRelative <= TOLERANCE[dtype];
  return { pass, maxRelative: comparison.maxRelative, worst, comparison };
}

/** One term dOut_j·∂out_j/∂in_i of a gradient cell's chain-rule sum. */
export interface Term { outIndex: number; dOut: number; partial: number; term: number }

/** A gradient cell asked three ways, with the terms of its chain-rule sum (largest first). */
export interface CellAnswer { hand: number; autograd: number; numeric: number; terms: Term[] }

/**
 * The gradient of input `name` at flat `index`: hand-derived, autograd, and by central
 * differences — one Jacobian column from @attograd/gradcheck, whose entries weighted by dOut are
 * exactly the terms of the chain-rule sum.
 */
export function askCell(view: EntryView, name: string, index: number, dtype: DType): CellAnswer {
  const { entry, inputs } = view;
  const order = entry.inputNames;
  const fn = (...values: Tensor[]): Tensor => {
    const at: Record<string, Tensor> = { ...inputs };
    order.forEach((n, i) => { at[n] = values[i]; });
    return entry.run(at);
  };
  const columns = numericalJacobianColumns(fn, order.map((n) => inputs[n]), order.indexOf(name), index, index + 1, { eps: FD_STEP[dtype] });
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
