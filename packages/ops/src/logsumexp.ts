import { allocate, broadcastIndex, broadcastTo, type Op, defineOp, sizeOf, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { exp } from './exp';
import { reduceKernel, resolveReduction } from './kernels/reduce';
import { mul } from './mul';
import { reshape } from './reshape';
import { sub } from './sub';

export const derivation: Derivation = {
  op: 'logsumexp',
  definition: 'Y = log Σ_j exp(X_j) over the given axes, computed as m + log Σ_j exp(X_j − m) with m = max_j X_j',
  kind: 'nonlinear',
  backward: { x: 'dX = broadcast(dY) ⊙ exp(X − Y) = broadcast(dY) ⊙ softmax(X)' },
  steps: [
    'subtracting m changes nothing: log Σ e^{x_j} = m + log Σ e^{x_j − m}, and every e^{x_j − m} ≤ 1 cannot overflow',
    '∂Y/∂X_i = e^{X_i} / Σ_j e^{X_j} = e^{X_i − Y}: the softmax of the row',
    'dX = broadcast(dY) ⊙ exp(X − Y), written with exp and sub so second order follows',
    'a row of −∞ gives −∞, one holding +∞ gives +∞, NaN gives NaN (as PyTorch)',
  ],
  saves: 'output Y',
  ko: {
    definition: '주어진 축들에 대해 Y = log Σ_j exp(X_j), m = max_j X_j로 두고 m + log Σ_j exp(X_j − m)으로 계산한다',
    steps: [
      'm을 빼도 값은 같다: log Σ e^{x_j} = m + log Σ e^{x_j − m}이고 모든 e^{x_j − m} ≤ 1이라 오버플로하지 않는다',
      '∂Y/∂X_i = e^{X_i} / Σ_j e^{X_j} = e^{X_i − Y}: 그 행의 소프트맥스',
      'dX = broadcast(dY) ⊙ exp(X − Y). exp와 sub로 쓰므로 2계 미분도 된다',
      '−∞만 있는 행은 −∞, +∞가 있는 행은 +∞, NaN은 NaN을 낸다 (PyTorch와 같다)',
    ],
    saves: '출력 Y',
  },
};

/** log Σ exp(x) over the axes reduced in `keptShape`, as a tensor of keptShape (used by logSoftmax too). */
export function logsumexpKernel(x: Tensor, keptShape: readonly number[]): Tensor {
  const maxima = reduceKernel('max', x, keptShape, keptShape).data;
  const sums = allocate(x.dtype, sizeOf(keptShape));
  const group = broadcastIndex(keptShape, x.shape);
  for (let i = 0; i < x.size; i++) sums[group[i]] += Math.exp(x.data[i] - maxima[group[i]]);
  for (let k = 0; k < sums.length; k++) {
    const m = maxima[k];
    // An infinite maximum is the answer itself (x − m would be NaN for the row's other infinities).
    sums[k] = m === Infinity || m === -Infinity ? m : m + Math.log(sums[k]);
  }
  return new Tensor(sums, keptShape);
}

const logsumexpOp: Op<{ keptShape: readonly number[]; outShape: readonly number[] }> = defineOp<{
  keptShape: readonly number[];
  outShape: readonly number[];
}>(
  {
    name: 'logsumexp',
    inputNames: ['x'],
    forward: ([x], { keptShape, outShape }) => reshape(logsumexpKernel(x, keptShape), outShape),
    backward(dY, { inputs: [x], output: y, attrs: { keptShape } }) {
      const softmaxOfX = exp(sub(x, broadcastTo(reshape(y, keptShape), x.shape)));
      return [mul(broadcastTo(reshape(dY, keptShape), x.shape), softmaxOfX)];
    },
  },
  { keepsNoGradients: true },
);

/**
 * log Σ exp(x) over `axis` (undefined for all axes), without overflow or underflow: finite for
 * logits of any finite size. The reduced axes are dropped, or kept with size 1 when `keepdims`.
 *
 * @throws TypeError when x is not a float Tensor; RangeError for an axis out of range or repeated.
 * @example
 * logsumexp(tensor([[1000, 1000]]), -1) // [1000.6931]
 */
export function logsumexp(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('logsumexp', 'x', x);
  const { keptShape, outShape } = resolveReduction('logsumexp', x, axis, keepdims);
  return logsumexpOp([x], { keptShape, outShape });
}
