import { formatShape, rangeError, shapesEqual, type Tensor } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { checkReduction, type Reduction } from './loss-options';
import { mean } from './mean';
import { square } from './square';
import { sub } from './sub';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'mseLoss',
  definition: 'L = mean((X − T)²) (or the sum, or the element-wise squares with reduction none);  X, T: one shape',
  kind: 'composite',
  backward: { input: 'dX = 2 (X − T) ⊙ dL / n', target: 'dT = −dX' },
  steps: [
    'a composite of sub, square and mean: ∂(x − t)²/∂x = 2(x − t), and the mean divides by n',
    'the target receives the opposite gradient',
  ],
  saves: 'what sub, square and mean save',
  notes: ['n is the number of elements for mean and 1 for sum and none; dL broadcasts to the shape of X'],
  ko: {
    definition: 'L = mean((X − T)²) (reduction에 따라 합, 또는 none이면 원소별 제곱); X와 T의 모양은 같다',
    steps: ['sub, square, mean의 합성이다: ∂(x − t)²/∂x = 2(x − t)이고 평균은 n으로 나눈다', '목표는 부호가 반대인 기울기를 받는다'],
    saves: 'sub, square, mean이 저장하는 값',
    notes: ['n은 mean이면 원소 수, sum과 none이면 1이다; dL은 X의 모양으로 브로드캐스트된다'],
  },
};

/**
 * Mean squared error between input and target (same shape, as PyTorch requires for a warning-free
 * call); reduction 'mean' (default), 'sum' or 'none'. Both may require gradients.
 *
 * @throws TypeError when input or target is not a float Tensor; RangeError when their shapes differ.
 * @example
 * mseLoss(prediction, target) // scalar
 */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  checkTensor('mseLoss', 'input', input);
  checkTensor('mseLoss', 'target', target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw rangeError('mseLoss', `input has shape ${formatShape(input.shape)} but target has shape ${formatShape(target.shape)}`);
  }
  const reduction = checkReduction('mseLoss', options.reduction);
  const squares = square(sub(input, target));
  return reduction === 'none' ? squares : reduction === 'sum' ? sum(squares) : mean(squares);
}
