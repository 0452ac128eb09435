import { allocate, broadcastIndex, type Op, defineOp, normalizeAxis, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { exp } from './exp';
import { logsumexpKernel } from './logsumexp';
import { mul } from './mul';
import { sub } from './sub';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'logSoftmax',
  definition: 'Y_i = X_i − log Σ_j exp(X_j) = X_i − m − log Σ_j exp(X_j − m) along `axis`, m the row max (never log(softmax(X)))',
  kind: 'nonlinear',
  backward: { x: 'dX = dY − exp(Y) ⊙ Σ_j dY_j' },
  steps: [
    'Y_i = X_i − L with L = logsumexp(X), and ∂L/∂X_k = softmax(X)_k = e^{Y_k}',
    '∂Y_i/∂X_k = δ_ik − e^{Y_k}',
    'dX_k = Σ_i dY_i (δ_ik − e^{Y_k}) = dY_k − e^{Y_k} Σ_i dY_i',
    'log(softmax(X)) would give −∞ once a probability underflows to 0; X − L stays finite',
  ],
  saves: 'output Y',
  ko: {
    definition:
      'axis를 따라 Y_i = X_i − log Σ_j exp(X_j) = X_i − m − log Σ_j exp(X_j − m), m은 행의 최댓값 (log(softmax(X))로 계산하지 않는다)',
    steps: [
      'Y_i = X_i − L, L = logsumexp(X)이고 ∂L/∂X_k = softmax(X)_k = e^{Y_k}',
      '∂Y_i/∂X_k = δ_ik − e^{Y_k}',
      'dX_k = Σ_i dY_i (δ_ik − e^{Y_k}) = dY_k − e^{Y_k} Σ_i dY_i',
      'log(softmax(X))는 확률이 0으로 언더플로하면 −∞가 되지만 X − L은 유한하다',
    ],
    saves: '출력 Y',
  },
};

const logSoftmaxOp: Op<{ axis: number }> = defineOp<{ axis: number }>(
  {
    name: 'logSoftmax',
    inputNames: ['x'],
    forward([x], { axis }) {
      const keptShape = x.shape.map((dim, i) => (i === axis ? 1 : dim));
      const normalizers = logsumexpKernel(x, keptShape).data;
      const group = broadcastIndex(keptShape, x.shape);
      const y = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) y[i] = x.data[i] - normalizers[group[i]];
      return new Tensor(y, x.shape);
    },
    backward: (dY, { output: y, attrs: { axis } }) => [sub(dY, mul(exp(y), sum(dY, axis, true)))],
  },
  { keepsNoGradients: true },
);

/**
 * log(softmax(x)) along `axis` (default: the last), computed stably as x − logsumexp(x): finite for
 * logits of any finite size. A row of all −∞ gives NaN (as PyTorch).
 *
 * @throws TypeError when x is not a float Tensor; RangeError for an axis out of range.
 * @example
 * logSoftmax(tensor([[0, 1000]])) // [[-1000, 0]]; log(softmax(·)) would give [[-Infinity, 0]]
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor('logSoftmax', 'x', x);
  return logSoftmaxOp([x], { axis: normalizeAxis('logSoftmax', axis, x.shape) });
}
