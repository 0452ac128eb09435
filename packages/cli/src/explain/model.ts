import { stages, unstackProjections, type Stage } from '@attograd/attention';
import { stepSizeSweep, type SweepRow } from '@attograd/gradcheck';
import type { Tensor } from '@attograd/tensor';
import { recordedGraph, type ComputationGraph } from '../report/graph';
import { compareStage, rowJacobian, type RowJacobian, type StageComparison } from './compare';
import {
  blockLeaves, forwardChain, randomCotangent, stageInputs, upstreamGradients,
  type BlockLeaves, type ExampleSizes, type ForwardChain,
} from './example';
import { displayName, STAGE_OUTPUTS } from './names';

/** Everything explain shows about one stage. */
export interface StageReport extends StageComparison {
  readonly stage: Stage;
  /** The outputs by name (projection: q, k, v; the others: one). */
  readonly outputs: ReadonlyArray<readonly [string, Tensor]>;
  /** The upstream gradient of each output, by output name. */
  readonly dOutputs: ReadonlyArray<readonly [string, Tensor]>;
  /** For softmax: the Jacobian of one actual row. */
  readonly jacobian: RowJacobian | undefined;
}

/** The whole explanation: the example, the chosen stages and the recorded graph. */
export interface ExplainReport {
  readonly sizes: ExampleSizes;
  readonly stages: readonly StageReport[];
  /** The autograd graph of the whole block, read before the backward pass. */
  readonly graph: ComputationGraph;
  /** The largest relative difference between the three gradients, over the chosen stages. */
  readonly largestRelative: number;
}

/**
 * Runs the seeded example and explains the chosen stages on it.
 *
 * @example
 * const report = buildExplanation({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false }, stages);
 */
export function buildExplanation(sizes: ExampleSizes, chosen: readonly Stage[] = stages): ExplainReport {
  const leaves = blockLeaves(sizes);
  const chain = forwardChain(leaves, sizes);
  const graph = recordedGraph([chain.y], graphNames(leaves, chain));
  const upstream = upstreamGradients(chain, randomCotangent(chain.y, sizes.seed));
  const reports = chosen.map((stage) => stageReport(stage, compareStage(stage, stageInputs(stage, leaves, chain, sizes), upstream[stage.key])));
  const largestRelative = reports.reduce((worst, r) => (Number.isNaN(r.largest.relative) ? NaN : Math.max(worst, r.largest.relative)), 0);
  return { sizes, stages: reports, graph, largestRelative };
}

function stageReport(stage: Stage, comparison: StageComparison): StageReport {
  const names = STAGE_OUTPUTS[stage.key] ?? ['out'];
  const split = (t: Tensor): Tensor[] => (stage.key === 'projection' ? Object.values(unstackProjections(t)) : [t]);
  const outputs = split(comparison.output).map((t, i) => [names[i], t] as const);
  const dOutputs = split(comparison.dOut).map((t, i) => [names[i], t] as const);
  const jacobian = stage.key === 'softmax' ? rowJacobian(comparison.output, comparison.dOut, comparison.gradients[0].manual) : undefined;
  return { ...comparison, stage, outputs, dOutputs, jacobian };
}

/** Display names for the graph's nodes: the leaves and every named intermediate. */
function graphNames(leaves: BlockLeaves, chain: ForwardChain): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  const headed = chain.qHeads !== chain.q;
  if (headed) for (const key of ['qHeads', 'kHeads', 'vHeads', 'zHeads'] as const) names.set(chain[key], `${displayName(key[0])}_heads`);
  for (const [key, tensor] of Object.entries(leaves)) names.set(tensor, displayName(key));
  for (const key of ['q', 'k', 'v', 's', 'sHat', 'p', 'z', 'y'] as const) names.set(chain[key], displayName(key));
  return names;
}

/**
 * The step-size sweep of the whole example block (@attograd/gradcheck's `stepSizeSweep`): the
 * finite-difference error against the step h, from 1e-1 down to 1e-10.
 *
 * @example
 * sweepExample({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false })[0].eps // 0.1
 */
export function sweepExample(sizes: ExampleSizes): SweepRow[] {
  const leaves = blockLeaves(sizes);
  const fn = (x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, gamma: Tensor, beta: Tensor): Tensor =>
    forwardChain({ x, wq, wk, wv, gamma, beta }, sizes).y;
  return stepSizeSweep(fn as (...inputs: Tensor[]) => Tensor, [leaves.x, leaves.wq, leaves.wk, leaves.wv, leaves.gamma, leaves.beta], { seed: sizes.seed });
}
