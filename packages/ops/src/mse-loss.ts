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
  backward: { input: 'dX = 2(X − T)·dL/n  (n the number of elements; 1 for sum)', target: 'dT = −dX' },
  steps: ['a composite of sub, square and mean: ∂(x − t)²/∂x = 2(x − t), and the mean divides by n', 'the target receives the opposite gradient'],
  saves: 'what sub, square and mean save',
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
