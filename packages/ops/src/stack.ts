import { formatShape, normalizeAxis, rangeError, shapesEqual, Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import { concat } from './concat';
import type { Derivation } from './derivation';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'stack',
  definition: 'Y = [X₀, X₁, …] along a new axis; all Xᵢ have one shape;  Y: shape with n inserted at axis',
  kind: 'composite',
  backward: { tensors: 'dXᵢ = dY at index i of the new axis' },
  steps: ['stack = concat of the Xᵢ, each reshaped with a new axis of size 1: the rules are reshape’s and concat’s'],
  saves: 'nothing of its own',
};

/**
 * Stacks tensors of one shape along a new axis (default 0).
 *
 * @example
 * stack([q, k, v]) // [3, ...q.shape]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw typeError('stack', `tensors must be a non-empty array of tensors, got ${String(tensors)}`);
  }
  tensors.forEach((t, i) => checkTensor('stack', `tensors[${i}]`, t));
  const shape = tensors[0].shape;
  tensors.forEach((t: Tensor, i: number) => {
    if (!shapesEqual(t.shape, shape)) {
      throw rangeError('stack', `tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has shape ${formatShape(shape)}`);
    }
  });
  const resolved = normalizeAxis('stack', axis, [...shape, 1]);
  const widened = [...shape.slice(0, resolved), 1, ...shape.slice(resolved)];
  return concat(tensors.map((t) => reshape(t, widened)), resolved);
}
