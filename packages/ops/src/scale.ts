import { allocate, type Op, defineOp, Tensor } from '@attograd/tensor';
import { checkFinite, checkTensor } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'scale',
  definition: 'Y = c·X for a constant number c;  X: any shape → Y: same shape',
  kind: 'linear',
  backward: { x: 'dX = c·dY' },
  steps: ['∂Y_i/∂X_i = c and ∂Y_i/∂X_j = 0 for j ≠ i', 'dX_i = dY_i·c'],
  saves: 'the factor c',
};

const scaleOp: Op<{ factor: number }> = defineOp<{ factor: number }>({
  name: 'scale',
  inputNames: ['x'],
  forward([x], { factor }) {
    // One pass: read, multiply, write (a copy then a multiply would touch every value twice).
    const out = allocate(x.dtype, x.size);
    for (let i = 0; i < out.length; i++) out[i] = x.data[i] * factor;
    return new Tensor(out, x.shape);
  },
  backward: (dY, { attrs: { factor } }) => [scaleOp([dY], { factor })],
});

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
