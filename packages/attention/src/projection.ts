import { noGrad, type Tensor, withLabel } from '@attograd/tensor';
import { add, matmul, matmulTransposed } from '@attograd/ops';
import { checkMinRank, checkTensor, checkWeight, checkWeightsObject } from './checks';
import { weightGradient } from './hand-kernels';

/**
 * Stage 0, projection:  Q = X·W_q, K = X·W_k, V = X·W_v  (row-major, X @ W with W: [in, out];
 * PyTorch's nn.Linear stores weight: [out, in] and computes X·weightᵀ, so W = weightᵀ).
 * X: [..., T, d]; W_q, W_k: [d, d_k]; W_v: [d, d_v] → Q, K: [..., T, d_k], V: [..., T, d_v].
 *
 * Backward, given dQ, dK, dV:
 *   dW_q = Σ_batch Xᵀ·dQ, dW_k = Σ_batch Xᵀ·dK, dW_v = Σ_batch Xᵀ·dV   (one W serves every batch entry)
 *   dX_qkv = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ                            (X reaches the loss by three paths here)
 */

/** The three projection matrices of one attention head (or of all heads side by side). */
export interface ProjectionWeights {
  /** W_q: [d, d_k]. */
  wq: Tensor;
  /** W_k: [d, d_k]. */
  wk: Tensor;
  /** W_v: [d, d_v]. */
  wv: Tensor;
}

/** Queries, keys and values: the result of stage 0. */
export interface Projections {
  /** Q = X·W_q: [..., T, d_k]. */
  q: Tensor;
  /** K = X·W_k: [..., T, d_k]. */
  k: Tensor;
  /** V = X·W_v: [..., T, d_v]. */
  v: Tensor;
}

/** Checks x and the three weights for `x @ W`; returns the column counts. */
export function checkProjection(fn: string, x: unknown, weights: unknown): { dK: number; dV: number } {
  const input = checkTensor(fn, 'x', x);
  checkMinRank(fn, 'x', input, 2, '[..., T, d]');
  checkWeightsObject(fn, weights, '{ wq, wk, wv }');
  const { wq, wk, wv } = weights as ProjectionWeights;
  const dK = checkWeight(fn, 'wq', wq, input);
  checkWeight(fn, 'wk', wk, input);
  const dV = checkWeight(fn, 'wv', wv, input);
  return { dK, dV };
}

/**
 * Stage 0: projects every token of x into a query, a key and a value. Ops are labelled
 * `'projection'`.
 *
 * @throws TypeError when x or a weight is not a Tensor; RangeError when x has fewer than 2 axes or
 * a weight does not have x's last dimension as its row count.
 * @example
 * const { q, k, v } = project(x, { wq, wk, wv }); // x: [3, 4], W: [4, 4] → q, k, v: [3, 4]
 */
export function project(x: Tensor, weights: ProjectionWeights): Projections {
  checkProjection('project', x, weights);
  return projectUnchecked(x, weights);
}

/** `project` on arguments a composite has already checked (each argument is validated once). */
export function projectUnchecked(x: Tensor, weights: ProjectionWeights): Projections {
  const { wq, wk, wv } = weights;
  return withLabel('projection', () => ({ q: matmul(x, wq), k: matmul(x, wk), v: matmul(x, wv) }));
}

/**
 * Hand-derived backward of stage 0 (no autograd): the gradients of x and of each weight, given
 * the gradients of Q, K and V.
 *
 * @example
 * const { x: dX, wq: dWq } = projectBackward(x, { wq, wk, wv }, { q: dQ, k: dK, v: dV });
 */
export function projectBackward(x: Tensor, weights: ProjectionWeights, d: Projections): { x: Tensor; wq: Tensor; wk: Tensor; wv: Tensor } {
  const { wq, wk, wv } = weights;
  return noGrad(() => ({
    x: add(add(matmulTransposed(d.q, wq, false, true), matmulTransposed(d.k, wk, false, true)), matmulTransposed(d.v, wv, false, true)),
    wq: weightGradient(x, d.q),
    wk: weightGradient(x, d.k),
    wv: weightGradient(x, d.v),
  }));
}
