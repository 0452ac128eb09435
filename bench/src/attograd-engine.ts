import { gradients, noGrad, ones, Tensor, zeros } from '@attograd/tensor';
import { layerNorm, matmul, matmulTransposed, permute, reshape, scale, softmax } from '@attograd/ops';
import { gradcheck } from '@attograd/gradcheck';
import { attentionInputs, type Engine, randomValues, type Runner, type Work } from './work';

/** Wraps values as a float64 (or float32) tensor. */
function tensorOf(values: Float64Array, shape: number[], requiresGrad = false, dtype: 'float64' | 'float32' = 'float64'): Tensor {
  return new Tensor(dtype === 'float64' ? values.slice() : Float32Array.from(values), shape, { requiresGrad });
}

/** softmax(QKᵀ/√d_k)V for one head, Q = XW_q, K = XW_k, V = XW_v; built from ops. */
export function singleHead(x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor): Tensor {
  const d = wq.shape[1];
  const q = matmul(x, wq);
  const k = matmul(x, wk);
  const v = matmul(x, wv);
  return matmul(softmax(scale(matmulTransposed(q, k, false, true), 1 / Math.sqrt(d))), v);
}

/** Split [T, d] into heads [h, T, d/h]. */
function splitHeads(x: Tensor, heads: number): Tensor {
  const [T, d] = x.shape;
  return permute(reshape(x, [T, heads, d / heads]), [1, 0, 2]);
}

/** Multi-head attention with an output projection: concat_h(head_h)·W_o. */
export function multiHead(x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, wo: Tensor, heads: number): Tensor {
  const [T, d] = x.shape;
  const q = splitHeads(matmul(x, wq), heads);
  const k = splitHeads(matmul(x, wk), heads);
  const v = splitHeads(matmul(x, wv), heads);
  const p = softmax(scale(matmulTransposed(q, k, false, true), 1 / Math.sqrt(d / heads)));
  const z = reshape(permute(matmul(p, v), [1, 0, 2]), [T, d]);
  return matmul(z, wo);
}

function attentionRunner(T: number, d: number, heads: number, backward: boolean): Runner {
  const values = attentionInputs(T, d, heads);
  const x = tensorOf(values.x, [T, d], backward);
  const weights = values.weights.map((w) => tensorOf(w, [d, d], backward));
  const cotangent = tensorOf(values.cotangent, [T, d]);
  const forward = () =>
    heads > 1 ? multiHead(x, weights[0], weights[1], weights[2], weights[3], heads) : singleHead(x, weights[0], weights[1], weights[2]);
  const run = backward ? () => gradients(forward(), [x, ...weights], { gradOutput: cotangent }) : () => noGrad(forward);
  return { dtype: 'float64', run, dispose() {} };
}

/** Full-Jacobian gradcheck of single-head attention with respect to X and the three weights. */
function gradcheckRunner(T: number, d: number): Runner {
  const values = attentionInputs(T, d, 1);
  const inputs = [tensorOf(values.x, [T, d], true), ...values.weights.map((w) => tensorOf(w, [d, d], true))];
  return {
    dtype: 'float64',
    run() {
      const report = gradcheck((x, wq, wk, wv) => singleHead(x, wq, wk, wv), inputs, { mode: 'full' });
      if (!report.ok) throw new Error(`gradcheck of attention T=${T} d=${d} failed: ${JSON.stringify(report.inputs.map((r) => r.worst))}`);
      return report;
    },
    dispose() {},
  };
}

/** attograd itself: float64 everywhere except the float32 matmul rows. */
export const attograd: Engine = {
  name: 'attograd',
  prepare(work: Work): Runner | null {
    switch (work.kind) {
      case 'matmul': {
        const a = tensorOf(randomValues(work.n * work.n, 3), [work.n, work.n], false, work.dtype);
        const b = tensorOf(randomValues(work.n * work.n, 4), [work.n, work.n], false, work.dtype);
        return { dtype: work.dtype, run: () => matmul(a, b), dispose() {} };
      }
      case 'softmax': {
        const shape = [work.rows, work.columns];
        const x = tensorOf(randomValues(work.rows * work.columns, 5), shape, work.backward);
        const cotangent = tensorOf(randomValues(work.rows * work.columns, 6), shape);
        const run = work.backward ? () => gradients(softmax(x), [x], { gradOutput: cotangent }) : () => softmax(x);
        return { dtype: 'float64', run, dispose() {} };
      }
      case 'layerNorm': {
        const shape = [work.rows, work.d];
        const x = tensorOf(randomValues(work.rows * work.d, 7), shape, work.backward);
        const gamma = ones([work.d], { requiresGrad: work.backward });
        const beta = zeros([work.d], { requiresGrad: work.backward });
        const cotangent = tensorOf(randomValues(work.rows * work.d, 8), shape);
        const run = work.backward
          ? () => gradients(layerNorm(x, gamma, beta), [x, gamma, beta], { gradOutput: cotangent })
          : () => layerNorm(x, gamma, beta);
        return { dtype: 'float64', run, dispose() {} };
      }
      case 'attention':
        return attentionRunner(work.T, work.d, work.heads, work.backward);
      case 'gradcheck':
        return gradcheckRunner(work.T, work.d);
    }
  },
};
