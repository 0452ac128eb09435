import { allocate, type Op, defineOp, Tensor, type TensorData } from '@attograd/tensor';
import { checkFinite, checkTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'scale',
  definition: 'Y = c X for a constant number c; X: any shape → Y: the same shape',
  kind: 'linear',
  backward: { x: 'dX = c dY' },
  steps: [
    '∂Y_i/∂X_i = c and ∂Y_i/∂X_j = 0 for j ≠ i: the Jacobian is c I',
    'the vector-Jacobian product of a linear map is its adjoint (its transpose); c I is its own transpose, so dX = (c I)ᵀ dY = c dY',
  ],
  saves: 'the factor c',
  ko: {
    definition: '상수 c에 대해 Y = c X; X의 모양은 무엇이든 되고 Y는 X와 같은 모양이다',
    steps: [
      '∂Y_i/∂X_i = c이고 j ≠ i이면 ∂Y_i/∂X_j = 0이다. 즉 야코비안은 c I이다',
      '선형 사상의 벡터-야코비안 곱은 그 수반(전치)이다. c I는 전치해도 c I이므로 dX = (c I)ᵀ dY = c dY',
    ],
    saves: '배율 c',
  },
};

/** out = factor · x: a small loop of its own, so V8 optimises it early and whole (not by on-stack replacement). */
function scaleInto(out: TensorData, x: TensorData, factor: number): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] * factor;
}

const scaleOp: Op<{ factor: number }> = defineOp<{ factor: number }>(
  {
    name: 'scale',
    inputNames: ['x'],
    forward([x], { factor }) {
      // One pass: read, multiply, write (a copy then a multiply would touch every value twice).
      const out = allocate(x.dtype, x.size);
      scaleInto(out, x.data, factor);
      return new Tensor(out, x.shape);
    },
    backward: (dY, { attrs: { factor } }) => [scaleOp([dY], { factor })],
  },
  { keepsNoGradients: true },
);

/**
 * Multiplies every element by a constant number. In attention it divides the scores by √d_k.
 *
 * @example
 * scale(scores, 1 / Math.sqrt(dK))
 */
export function scale(x: Tensor, factor: number): Tensor {
  checkTensor('scale', 'x', x);
  checkFinite('scale', 'factor', factor);
  return scaleOp([x], { factor });
}
