import {
  attentionWeights, causalMask, mergeHeads, project, residualLayerNorm, scaleScores, scores, splitHeads, stages,
  stackProjections, traceSelfAttention, weightedSum, type Stage, type StageInputs,
} from '@attograd/attention';
import { gradients, noGrad, randn, rng, tensor, withLabel, type Tensor } from '@attograd/tensor';

/**
 * The one seeded example that explain walks through: a single attention block run forward with
 * autograd, then backward from a random cotangent dY. Each stage is then shown on the actual
 * values that reach it (Q and K from the projection of X, P from the softmax of Ŝ, …) with the
 * actual upstream gradient that flows back into it, so the stages read as one computation.
 */

/** The sizes of the example (`--seq`, `--dmodel`, `--heads`, `--seed`, `--causal`). */
export interface ExampleSizes {
  readonly seq: number;
  readonly dModel: number;
  readonly heads: number;
  readonly seed: number;
  readonly causal: boolean;
}

/** The learnable leaves of the block. */
export interface BlockLeaves {
  x: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; gamma: Tensor; beta: Tensor;
}

/** Every value of one forward pass. With several heads, `qHeads`… are [H, T, d_k]; otherwise they are q, k, v. */
export interface ForwardChain {
  q: Tensor; k: Tensor; v: Tensor;
  qHeads: Tensor; kHeads: Tensor; vHeads: Tensor;
  s: Tensor; sHat: Tensor; p: Tensor;
  zHeads: Tensor; z: Tensor; y: Tensor;
  mask: Tensor | undefined;
}

/**
 * The leaves of the example, drawn from the registry's own seeded input makers.
 *
 * @example
 * const { x, wq } = blockLeaves({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false }); // x: [3, 4]
 */
export function blockLeaves(sizes: ExampleSizes): BlockLeaves {
  const registrySizes = { seq: sizes.seq, dModel: sizes.dModel, seed: sizes.seed };
  const { x, wq, wk, wv } = stages[0].makeInputs(registrySizes);
  const { gamma, beta } = stages[5].makeInputs(registrySizes);
  return { x, wq, wk, wv, gamma, beta };
}

/**
 * The forward pass, recorded. One head: `traceSelfAttention` itself. Several heads: the same stage
 * functions with the heads split into a batch axis after the projection and concatenated again
 * before the residual (no output projection, so that stage 5 is the same as with one head).
 *
 * @example
 * const { p, y } = forwardChain(blockLeaves(sizes), sizes);
 */
export function forwardChain(leaves: BlockLeaves, sizes: ExampleSizes): ForwardChain {
  const mask = sizes.causal ? causalMask(sizes.seq) : undefined;
  const { x, wq, wk, wv, gamma, beta } = leaves;
  if (sizes.heads === 1) {
    const trace = traceSelfAttention(x, { wq, wk, wv, gamma, beta }, { mask });
    const { q, k, v, z } = trace;
    return { ...trace, qHeads: q, kHeads: k, vHeads: v, zHeads: z, y: trace.y!, mask };
  }
  const { q, k, v } = project(x, { wq, wk, wv });
  const [qHeads, kHeads, vHeads] = withLabel('splitHeads', () => [q, k, v].map((t) => splitHeads(t, sizes.heads)));
  const s = scores(qHeads, kHeads);
  const sHat = scaleScores(s, sizes.dModel / sizes.heads);
  const p = attentionWeights(sHat, { mask });
  const zHeads = weightedSum(p, vHeads);
  const z = withLabel('mergeHeads', () => mergeHeads(zHeads));
  return { q, k, v, qHeads, kHeads, vHeads, s, sHat, p, zHeads, z, y: residualLayerNorm(x, z, { gamma, beta }), mask };
}

/**
 * What each stage receives: its registry inputs, as the chain computed them.
 *
 * @throws Error for a stage the example does not know.
 * @example
 * stageInputs(stages[3], leaves, chain, sizes) // { sHat: chain.sHat } (plus mask when causal)
 */
export function stageInputs(stage: Stage, leaves: BlockLeaves, chain: ForwardChain, sizes: ExampleSizes): StageInputs {
  const mask: Record<string, Tensor> = chain.mask === undefined ? {} : { mask: chain.mask };
  const all: Record<string, StageInputs> = {
    projection: { x: leaves.x, wq: leaves.wq, wk: leaves.wk, wv: leaves.wv },
    scores: { q: chain.qHeads, k: chain.kHeads },
    scaling: { s: chain.s, dK: tensor(sizes.dModel / sizes.heads) },
    softmax: { sHat: chain.sHat, ...mask },
    weightedSum: { p: chain.p, v: chain.vHeads },
    residualLayerNorm: { x: leaves.x, z: chain.z, gamma: leaves.gamma, beta: leaves.beta },
  };
  const inputs = all[stage.key];
  if (inputs === undefined) throw new Error(`explain: no example inputs for the stage '${stage.key}'`);
  return inputs;
}

/**
 * The upstream gradient of every stage's output (the gradient of ⟨Y, dY⟩ with respect to it),
 * by one autograd pass through the whole chain, keyed by stage key. The graph is freed after.
 *
 * @example
 * upstreamGradients(chain, randomCotangent(chain.y, 0)).softmax // dP
 */
export function upstreamGradients(chain: ForwardChain, dY: Tensor): Record<string, Tensor> {
  const targets = [chain.q, chain.k, chain.v, chain.s, chain.sHat, chain.p, chain.zHeads];
  const [dQ, dK, dV, dS, dSHat, dP, dZHeads] = gradients(chain.y, targets, { gradOutput: dY });
  return {
    projection: noGrad(() => stackProjections(dQ, dK, dV)),
    scores: dS,
    scaling: dSHat,
    softmax: dP,
    weightedSum: dZHeads,
    residualLayerNorm: dY,
  };
}

/**
 * The seeded random cotangent dY of the example (never all ones: see NUMERICS.md).
 *
 * @example
 * randomCotangent(chain.y, 0).shape // chain.y's shape
 */
export function randomCotangent(y: Tensor, seed: number): Tensor {
  return randn(y.shape, { rng: rng(seed + 1_000_003) });
}
