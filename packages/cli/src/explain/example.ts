import {
  causalMask,
  residualLayerNorm,
  stages,
  traceMultiHeadAttention,
  type RecordedRun,
  type Stage,
  type StageInputs,
} from '@attograd/attention';
import { gradients, randn, rng, tensor, type Tensor } from '@attograd/tensor';

/**
 * The one seeded example that explain walks through: a multi-head attention block (the attention
 * package's `traceMultiHeadAttention`, W_o included, then the residual and layer norm) run forward
 * with autograd, then backward from a random cotangent dY. Nothing here names a stage: each
 * registry entry says where its inputs and outputs sit in the recorded run (`fromRun`,
 * `outputNames`), so the stages read as one computation and a newly registered stage is fed too.
 */

/** The sizes of the example (`--seq`, `--dmodel`, `--heads`, `--seed`, `--causal`). */
export interface ExampleSizes {
  readonly seq: number;
  readonly dModel: number;
  readonly heads: number;
  readonly seed: number;
  readonly causal: boolean;
}

/** The name in a recorded run of a stage's input. */
export function runName(stage: Stage, input: string): string {
  return stage.fromRun?.[input] ?? input;
}

/**
 * The learnable leaves of the block: every differentiable input of a registered stage that no
 * stage produces (x, W_q, W_k, W_v, W_o, γ, β), drawn from the first stage's own seeded input
 * maker that takes it.
 *
 * @example
 * const { x, wq, wo } = blockLeaves({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false }); // x: [3, 4]
 */
export function blockLeaves(sizes: ExampleSizes): Record<string, Tensor> {
  const produced = new Set(stages.flatMap((s) => s.outputNames));
  const leaves: Record<string, Tensor> = {};
  for (const stage of stages) {
    const wanted = stage.inputNames.filter((name) => !produced.has(runName(stage, name)) && leaves[runName(stage, name)] === undefined);
    if (wanted.length === 0) continue;
    const made = stage.makeInputs({ seq: sizes.seq, dModel: sizes.dModel, heads: sizes.heads, seed: sizes.seed });
    for (const name of wanted) leaves[runName(stage, name)] = made[name];
  }
  return leaves;
}

/**
 * The forward pass of the block, recorded: multiHeadAttention's trace (Q, K, V; Q_heads … Z_heads;
 * Z = concat_h(Z_h)·W_o) and Y = LayerNorm(X + Z), with the constants d_k and (with --causal) M.
 *
 * @example
 * const { p, y } = recordBlock(blockLeaves(sizes), sizes);
 */
export function recordBlock(leaves: Readonly<Record<string, Tensor>>, sizes: ExampleSizes): RecordedRun {
  const mask = sizes.causal ? causalMask(sizes.seq) : undefined;
  const { x, wq, wk, wv, wo, gamma, beta } = leaves;
  const trace = traceMultiHeadAttention(x, { wq, wk, wv, wo }, { heads: sizes.heads, mask });
  const { q: qHeads, k: kHeads, v: vHeads, s, sHat, p, z: zHeads } = trace.heads;
  const y = residualLayerNorm(x, trace.out, { gamma, beta });
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
    dK: tensor(sizes.dModel / sizes.heads),
    ...(mask === undefined ? {} : { mask }),
  };
}

/**
 * What a stage receives: its inputs and constants, taken from the recorded run by `fromRun`.
 * An absent constant (the mask without --causal) is left out.
 *
 * @throws Error naming the stage and the missing value when the run has no such input.
 * @example
 * stageInputs(stageByKey('softmax'), run) // { sHat: run.sHat } (plus mask when causal)
 */
export function stageInputs(stage: Stage, run: RecordedRun): StageInputs {
  const inputs: Record<string, Tensor> = {};
  for (const name of [...stage.inputNames, ...stage.constantNames]) {
    const value = run[runName(stage, name)];
    if (value !== undefined) inputs[name] = value;
    else if (stage.inputNames.includes(name)) {
      throw new Error(
        `explain: the stage '${stage.key}' takes '${name}' from the recorded run's '${runName(stage, name)}', which the example does not record; it records ${Object.keys(run).join(', ')}`,
      );
    }
  }
  return inputs;
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
  return randn(y.shape, { rng: rng(seed + 1_000_003) });
}
