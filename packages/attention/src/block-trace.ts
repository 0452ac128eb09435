import { gradients, noGrad, rangeError, tensor, withLabel, type Tensor } from '@attograd/tensor';
import { attentionWeights } from './attention-weights';
import { mergeHeads, splitHeads } from './multi-head-attention';
import { project, type ProjectionWeights } from './projection';
import { residualLayerNorm, type LayerNormWeights } from './residual-layer-norm';
import { scaleScores } from './scaling';
import { scores } from './scores';
import { checkResidual, checkSelfAttention } from './self-attention';
import { weightedSum } from './weighted-sum';

/**
 * One recorded pass through all six stages, every value named, so that a tool can hand each
 * registry stage the values that actually reach it (`stage.fromTrace`) instead of keeping its own
 * table of which stage reads what.
 */

/** The leaves of an attention block: X, the projections, γ and β. */
export type BlockWeights = ProjectionWeights & LayerNormWeights;

/** Options of `traceBlock`. */
export interface BlockTraceOptions {
  /** Number of heads; must divide d. Default 1. Heads are split after the projection and merged before the residual (no W_o). */
  heads?: number;
  /** Attention mask, nonzero = may attend, broadcastable to [T, T] (per head). */
  mask?: Tensor;
  /** ε of the layer norm. Default 1e-5. */
  eps?: number;
}

/**
 * Every value of one block pass. `q`, `k`, `v`, `z` have the model's layout [..., T, d];
 * `qHeads`, `kHeads`, `vHeads`, `zHeads` the per-head layout [..., H, T, d_k] (the same tensors
 * as q, k, v, z when there is one head). `dK` and `heads` are one-element constants.
 */
export interface BlockTrace extends BlockValues {
  mask?: Tensor;
  dK: Tensor;
  heads: Tensor;
}

/** The differentiable values of a block pass (leaves and intermediates), by name. */
export interface BlockValues extends BlockWeights {
  x: Tensor;
  q: Tensor; k: Tensor; v: Tensor;
  qHeads: Tensor; kHeads: Tensor; vHeads: Tensor;
  s: Tensor; sHat: Tensor; p: Tensor;
  zHeads: Tensor; z: Tensor; y: Tensor;
}

/**
 * Runs stages 0–5 with autograd on `x` and records every intermediate.
 *
 * @throws as `traceSelfAttention`, and RangeError when `heads` does not divide d.
 * @example
 * const trace = traceBlock(x, { wq, wk, wv, gamma, beta }, { heads: 2 });
 * for (const stage of stages) stage.run(stage.fromTrace(trace).inputs); // equals fromTrace(trace).output
 */
export function traceBlock(x: Tensor, weights: BlockWeights, options: BlockTraceOptions = {}): BlockTrace {
  const fn = 'traceBlock';
  const heads = options.heads ?? 1;
  const eps = options.eps ?? 1e-5;
  checkSelfAttention(fn, x, weights, { mask: options.mask });
  checkResidual(fn, x, weights, eps);
  const d = x.shape[x.rank - 1];
  if (!Number.isInteger(heads) || heads < 1 || d % heads !== 0) {
    throw rangeError(fn, `options.heads must be a positive integer dividing d = ${d}, got ${String(heads)}`);
  }
  const { q, k, v } = project(x, weights);
  // splitHeads checks that heads divides d.
  const [qHeads, kHeads, vHeads] = heads === 1 ? [q, k, v] : withLabel('splitHeads', () => [q, k, v].map((t) => splitHeads(t, heads)));
  const keyDim = d / heads;
  const s = scores(qHeads, kHeads);
  const sHat = scaleScores(s, keyDim);
  const p = attentionWeights(sHat, { mask: options.mask });
  const zHeads = weightedSum(p, vHeads);
  const z = heads === 1 ? zHeads : withLabel('mergeHeads', () => mergeHeads(zHeads));
  const y = residualLayerNorm(x, z, weights, eps);
  const mask = options.mask === undefined ? {} : { mask: options.mask };
  return {
    x, wq: weights.wq, wk: weights.wk, wv: weights.wv, gamma: weights.gamma, beta: weights.beta, ...mask,
    dK: tensor(keyDim), heads: tensor(heads), q, k, v, qHeads, kHeads, vHeads, s, sHat, p, zHeads, z, y,
  };
}

const VALUE_NAMES = ['x', 'wq', 'wk', 'wv', 'gamma', 'beta', 'q', 'k', 'v', 'qHeads', 'kHeads', 'vHeads', 's', 'sHat', 'p', 'zHeads', 'z', 'y'] as const;

/**
 * The gradient of ⟨trace.y, dY⟩ with respect to every value of the trace, under the same names:
 * `stage.traceOutput(blockGradients(trace, dY))` is the upstream gradient dOut of that stage.
 * The leaves of the trace must require gradients. The graph is kept (retainGraph).
 *
 * @example
 * const grads = blockGradients(trace, dY); // grads.p is dP, grads.y is dY
 */
export function blockGradients(trace: BlockTrace, dY: Tensor): BlockValues {
  const found = gradients(trace.y, VALUE_NAMES.map((name) => trace[name]), { gradOutput: dY, retainGraph: true });
  const result: Record<string, Tensor> = {};
  VALUE_NAMES.forEach((name, i) => { result[name] = noGrad(() => found[i]); });
  return result as unknown as BlockValues;
}
