import { allocate, broadcastPlan, broadcastTo, defineOp, Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { reduceKernel, resolveReduction } from './kernels/reduce';
import { mul } from './mul';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'max',
  definition: 'Y = max over the given axes of X (all axes when none are given: a scalar)',
  kind: 'nonlinear',
  backward: { x: 'dX = broadcast(dY, shape(X)) ⊙ M, M = [X = Y] / count([X = Y])' },
  steps: [
    'where the maximum is unique, Y is that one element: ∂Y/∂X_i = 1 at the maximum and 0 elsewhere',
    'at a tie max is not differentiable; every convex combination of the tied positions is a subgradient, and attograd chooses to share dY evenly among them (as torch.amax does): a convention, not the derivative',
    'dX = broadcast(dY) ⊙ M, with M a constant mask ([·] is 1 where the condition holds and 0 elsewhere)',
  ],
  saves: 'the mask M of maximal positions',
  ko: {
    definition: 'Y = 주어진 축들을 따라 X의 최댓값 (축을 주지 않으면 모든 축에 대한 스칼라)',
    steps: [
      '최댓값이 하나뿐이면 Y는 그 원소 자체이다: 최댓값 위치에서 ∂Y/∂X_i = 1, 다른 곳에서 0',
      '동점이 있으면 max는 미분 가능하지 않다. 동점 위치들의 볼록 결합은 모두 하방기울기(subgradient)이며, attograd는 torch.amax처럼 dY를 동점 위치에 똑같이 나누는 쪽을 택한다. 이는 도함수가 아니라 규약이다',
      'dX = broadcast(dY) ⊙ M, M은 상수 마스크 ([·]는 조건이 참이면 1, 아니면 0)',
    ],
    saves: '최댓값 위치의 마스크 M',
  },
};

const maxOp = defineOp<{ keptShape: readonly number[]; outShape: readonly number[] }, Tensor>(
  {
    name: 'max',
    inputNames: ['x'],
    forward([x], { keptShape, outShape }) {
      const output = reduceKernel('max', x, keptShape, outShape);
      return { output, saved: maximalMask(x, output.data, keptShape) };
    },
    backward: (dY, { inputs: [x], attrs: { keptShape }, saved: mask }) => [mul(broadcastTo(reshape(dY, keptShape), x.shape), mask)],
  },
  { keepsNoGradients: true },
);

/**
 * 1/(number of ties) where x equals its group's max, 0 elsewhere: a constant, not recorded. A
 * group whose max is NaN has no maximal element: its mask is NaN throughout, so its gradient is
 * NaN (as torch.amax, whose count of ties is 0 there).
 */
function maximalMask(x: Tensor, maxima: ArrayLike<number>, keptShape: readonly number[]): Tensor {
  // Block by block, as reduceKernel: the group of x[start + j] is targets[o] + j·stride.
  const { outer, inner, offsets, innerStrides } = broadcastPlan([keptShape], x.shape);
  const [targets] = offsets;
  const [stride] = innerStrides;
  const values = x.data;
  const mask = allocate(x.dtype, x.size);
  const ties = new Float64Array(maxima.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0, i = o * inner, group = targets[o]; j < inner; j++, i++, group += stride) {
      if (values[i] === maxima[group]) ties[group] += 1;
    }
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0, i = o * inner, group = targets[o]; j < inner; j++, i++, group += stride) {
      const maximum = maxima[group];
      if (values[i] === maximum) mask[i] = 1 / ties[group];
      else if (maximum !== maximum) mask[i] = Number.NaN;
    }
  }
  return new Tensor(mask, x.shape);
}

/**
 * Maximum over `axis` (undefined for all axes). The gradient goes to the maximal element, shared
 * evenly among ties. The reduced axes are dropped, or kept with size 1 when `keepdims` is true.
 *
 * An empty reduced axis gives −Infinity. NaN propagates: a group holding a NaN has max NaN and
 * a NaN gradient for each of its elements (as torch.amax).
 *
 * @throws TypeError when x is not a Tensor, an axis is not an integer or keepdims not a boolean;
 * RangeError for an axis out of range or repeated.
 * @example
 * max(tensor([[1, 5], [7, 2]]), 1)       // [5, 7]
 * max(tensor([[1, 5], [7, 2]]), 0, true) // [[7, 5]], shape [1, 2]
 */
export function max(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('max', 'x', x);
  const { keptShape, outShape } = resolveReduction('max', x, axis, keepdims);
  return maxOp([x], { keptShape, outShape });
}
