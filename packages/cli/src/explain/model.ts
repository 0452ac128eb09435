import { stages, type RecordedRun, type Stage } from '@attograd/attention';
import { largestDifference, stepSizeSweep, type SweepRow } from '@attograd/gradcheck';
import type { Tensor } from '@attograd/tensor';
import { recordedGraph, type ComputationGraph } from '../report/graph';
import { compareStage, rowJacobian, type RowJacobian, type StageComparison } from './three-way-check';
import { blockLeaves, randomCotangent, recordBlock, runName, stageInputs, upstreamGradients, type ExampleSizes } from './example';

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
 * Runs the seeded example and explains the chosen stages on it: a loop over the registry, each
 * stage fed from the recorded run as its entry says.
 *
 * @example
 * const report = buildExplanation({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false }, stages);
 */
export function buildExplanation(sizes: ExampleSizes, chosen: readonly Stage[] = stages): ExplainReport {
  const run = recordBlock(blockLeaves(sizes), sizes);
  const graph = recordedGraph([run.y], graphNames(run));
  const upstream = upstreamGradients(run, randomCotangent(run.y, sizes.seed), chosen);
  const reports = chosen.map((stage) => stageReport(stage, compareStage(stage, stageInputs(stage, run), upstream[stage.key])));
  const largestRelative = largestDifference(reports.map((r) => r.largest)).relative;
  return { sizes, stages: reports, graph, largestRelative };
}

function stageReport(stage: Stage, comparison: StageComparison): StageReport {
  const split = (t: Tensor): Tensor[] => (stage.splitOutput === undefined ? [t] : stage.splitOutput(t));
  const outputs = split(comparison.output).map((t, i) => [stage.outputNames[i], t] as const);
  const dOutputs = split(comparison.dOut).map((t, i) => [stage.outputNames[i], t] as const);
  const jacobian = stage.key === 'softmax' ? rowJacobian(comparison.output, comparison.dOut, comparison.gradients[0].manual) : undefined;
  return { ...comparison, stage, outputs, dOutputs, jacobian };
}

/** Display names for the graph's nodes: every run value a registered stage takes or makes, as that stage prints it. */
function graphNames(run: RecordedRun): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  for (const stage of stages) {
    for (const name of [...stage.inputNames, ...stage.constantNames]) {
      const value = run[runName(stage, name)];
      if (value !== undefined && !names.has(value)) names.set(value, stage.display[name] ?? name);
    }
    for (const name of stage.outputNames)
      if (run[name] !== undefined && !names.has(run[name])) names.set(run[name], stage.display[name] ?? name);
  }
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
  const names = Object.keys(leaves);
  const fn = (...inputs: Tensor[]): Tensor => recordBlock(Object.fromEntries(names.map((name, i) => [name, inputs[i]])), sizes).y;
  return stepSizeSweep(
    fn,
    names.map((name) => leaves[name]),
    { seed: sizes.seed },
  );
}
