import { broadcastTo, defineOp, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { reduceKernel, resolveReduction } from './kernels/reduce';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'sum',
  definition: 'Y = Σ over the given axes of X (all axes when none are given: a scalar)',
  kind: 'linear',
  backward: { x: 'dX = broadcast(dY, shape(X))' },
  steps: ['∂Y/∂X_i = 1 for every X_i summed into Y', 'so every summed element receives dY: dY repeated along the summed axes'],
  saves: 'the input shape',
  ko: {
    definition: 'Y = 주어진 축들을 따라 X를 더한 값 (축을 주지 않으면 모든 축을 더한 스칼라)',
    steps: ['Y에 더해진 모든 X_i에 대해 ∂Y/∂X_i = 1', '그러므로 더해진 원소마다 dY를 받는다: 더한 축을 따라 dY를 반복한 것'],
    saves: '입력의 모양',
  },
};

const sumOp = defineOp<{ keptShape: readonly number[]; outShape: readonly number[] }>(
  {
    name: 'sum',
    inputNames: ['x'],
    forward: ([x], { keptShape, outShape }) => reduceKernel('sum', x, keptShape, outShape),
    backward: (dY, { inputs: [x], attrs: { keptShape } }) => [broadcastTo(reshape(dY, keptShape), x.shape)],
  },
  { keepsNoGradients: true },
);

/**
 * Sum over `axis` (a number, an array of axes, or undefined for all axes), keeping the reduced
 * axes as size 1 when `keepdims` is true.
 *
 * @example
 * sum(randn([3, 4]), -1, true) // shape [3, 1]
 */
export function sum(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('sum', 'x', x);
  const { keptShape, outShape } = resolveReduction('sum', x, axis, keepdims);
  return sumOp([x], { keptShape, outShape });
}
