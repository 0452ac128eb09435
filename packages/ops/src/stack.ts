import { formatShape, normalizeAxis, rangeError, shapesEqual, type Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import { concat } from './concat';
import type { Derivation } from './derivation';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'stack',
  definition: 'Y = [X₀, X₁, …] along a new axis; all Xᵢ have one shape; Y: that shape with n inserted at axis',
  kind: 'composite',
  backward: { tensors: 'dXᵢ = select(dY, axis, i)' },
  steps: [
    'stack is concat of the Xᵢ, each reshaped with a new axis of size 1: the rules are those of reshape and concat, and Xᵢ receives entry i of dY along the new axis',
  ],
  saves: 'nothing of its own',
  ko: {
    definition: 'Y = [X₀, X₁, …]를 새 축을 따라 쌓는다; 모든 Xᵢ의 모양은 같고, Y는 그 모양의 axis 자리에 n이 끼어든 모양이다',
    steps: [
      'stack은 각 Xᵢ에 크기 1인 새 축을 붙인(reshape) 뒤 이어 붙이는(concat) 합성이다. 규칙은 reshape와 concat의 것이며, Xᵢ는 새 축의 i번째 칸의 dY를 받는다',
    ],
    saves: '자체적으로 저장하는 값 없음',
  },
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
  return concat(
    tensors.map((t) => reshape(t, widened)),
    resolved,
  );
}
