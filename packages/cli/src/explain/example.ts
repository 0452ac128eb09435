import { causalMask, type RecordedRun, type Stage } from '@attograd/attention';
import { blockLeaves as exampleLeaves, cotangentFor, recordBlock as recordExampleBlock } from '@attograd/explorer';
import { gradients, Tensor } from '@attograd/tensor';

/**
 * The one seeded example that explain walks through — the explorer's block (`@attograd/explorer`:
 * the attention package's `traceMultiHeadAttention`, W_o included, then the residual and layer
 * norm), the same numbers as the page — run forward with autograd, then backward from a random
 * cotangent dY. Nothing here names a stage: each registry entry says where its inputs and outputs
 * sit in the recorded run (`fromRun`, `outputNames`), so the stages read as one computation and a
 * newly registered stage is fed too.
 */

/** The sizes of the example (`--seq`, `--dmodel`, `--heads`, `--seed`, `--causal`). */
export interface ExampleSizes {
  readonly seq: number;
  readonly dModel: number;
  readonly heads: number;
  readonly seed: number;
  readonly causal: boolean;
}

/** The name in a recorded run of a stage's input; a stage's inputs from the run (the explorer's). */
export { runName, stageInputs } from '@attograd/explorer';

/**
 * The learnable leaves of the block (x, W_q, W_k, W_v, W_o, γ, β), the explorer's seeded ones,
 * recording gradients (explain differentiates the whole block).
 *
 * @example
 * const { x, wq, wo } = blockLeaves({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false }); // x: [3, 4]
 */
export function blockLeaves(sizes: ExampleSizes): Record<string, Tensor> {
  const leaves: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(exampleLeaves(sizes)))
    leaves[name] = new Tensor(value.data, value.shape, { requiresGrad: true });
  return leaves;
}

/**
 * The forward pass of the block, recorded (the explorer's `recordBlock`): multi-head attention's
 * trace (Q, K, V; Q_heads … Z_heads; Z = concat_h(Z_h)·W_o) and Y = LayerNorm(X + Z), with the
 * constants d_k and (with --causal) M.
 *
 * @example
 * const { p, y } = recordBlock(blockLeaves(sizes), sizes);
 */
export function recordBlock(leaves: Readonly<Record<string, Tensor>>, sizes: ExampleSizes): RecordedRun {
  return recordExampleBlock(leaves, sizes.heads, sizes.causal ? causalMask(sizes.seq) : undefined);
}

/**
 * The upstream gradient of every chosen stage's output (the gradient of ⟨Y, dY⟩ with respect to
 * it), by one autograd pass through the whole block, keyed by stage key. The graph is freed after.
 *
 * @throws Error naming the stage when one of its outputs is not in the recorded run.
 * @example
 * upstreamGradients(run, randomCotangent(run.y, 0), stages).softmax // dP
 */
export function upstreamGradients(run: RecordedRun, dY: Tensor, chosen: readonly Stage[]): Record<string, Tensor> {
  const names = [...new Set(chosen.flatMap((stage) => stage.outputNames))];
  for (const stage of chosen) {
    const missing = stage.outputNames.filter((name) => run[name] === undefined);
    if (missing.length > 0)
      throw new Error(`explain: the outputs ${missing.join(', ')} of the stage '${stage.key}' are not in the recorded run`);
  }
  const targets = names.filter((name) => run[name] !== run.y);
  const found =
    targets.length === 0
      ? []
      : gradients(
          run.y,
          targets.map((name) => run[name]),
          { gradOutput: dY },
        );
  const byName = new Map<string, Tensor>(targets.map((name, i) => [name, found[i]]));
  for (const name of names) if (!byName.has(name)) byName.set(name, dY);
  return Object.fromEntries(
    chosen.map((stage) => {
      const dOutputs = stage.outputNames.map((name) => byName.get(name)!);
      return [stage.key, stage.joinOutputs === undefined ? dOutputs[0] : stage.joinOutputs(dOutputs)];
    }),
  );
}

/**
 * The seeded random cotangent dY of the example (never all ones: see NUMERICS.md).
 *
 * @example
 * randomCotangent(run.y, 0).shape // run.y's shape
 */
export function randomCotangent(y: Tensor, seed: number): Tensor {
  return cotangentFor(y.shape, seed);
}
