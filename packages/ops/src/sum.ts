import { broadcastTo, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { reduceKernel, resolveReduction } from './kernels/reduce';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'sum',
  definition: 'Y = Σ over the given axes of X (all axes when none are given → a scalar)',
  kind: 'linear',
  backward: { x: 'dX = broadcast(dY) to X’s shape' },
  steps: ['∂Y/∂X_i = 1 for every X_i summed into Y', 'each summed element receives dY: dX = dY repeated along the summed axes'],
  saves: 'the input shape',
};

const sumOp = defineOp<{ keptShape: readonly number[]; outShape: readonly number[] }>({
  name: 'sum',
  inputNames: ['x'],
  forward: ([x], { keptShape, outShape }) => reduceKernel('sum', x, keptShape, outShape),
  backward: (dY, { inputs: [x], attrs: { keptShape } }) => [broadcastTo(reshape(dY, keptShape), x.shape)],
});

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
