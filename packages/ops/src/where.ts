import { type Op, allocate, broadcastIndex, broadcastShapes, defineOp, sizeOf, Tensor, tensor } from '@attograd/tensor';
import { checkAnyTensor, checkTensor, tensorOrNumber } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'where',
  definition: 'Y_i = A_i where condition_i ≠ 0, else B_i;  condition, A, B broadcast together',
  kind: 'linear',
  backward: { a: 'dA = where(condition, dY, 0)', b: 'dB = where(condition, 0, dY)' },
  steps: ['each Y_i is A_i or B_i, chosen by a constant condition', 'the gradient goes to whichever was chosen; the other gets 0'],
  saves: 'the condition',
};

const whereOp: Op<{ condition: Tensor }> = defineOp<{ condition: Tensor }>({
  name: 'where',
  inputNames: ['a', 'b'],
  forward([a, b], { condition }) {
    const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, a.shape, ['condition', 'a']), b.shape, ['condition and a', 'b']);
    const out = allocate(a.dtype, sizeOf(shape));
    const ci = broadcastIndex(condition.shape, shape);
    const ai = broadcastIndex(a.shape, shape);
    const bi = broadcastIndex(b.shape, shape);
    for (let i = 0; i < out.length; i++) out[i] = condition.data[ci[i]] !== 0 ? a.data[ai[i]] : b.data[bi[i]];
    return new Tensor(out, shape);
  },
  backward(dY, { attrs: { condition }, needsGrad }) {
    const zero = tensor(0, { dtype: dY.dtype });
    return [needsGrad[0] ? whereOp([dY, zero], { condition }) : null, needsGrad[1] ? whereOp([zero, dY], { condition }) : null];
  },
});

/**
 * Picks a where `condition` is nonzero, b elsewhere, with broadcasting. The condition is a
 * constant (no gradient flows to it); a or b may be numbers.
 *
 * @example
 * where(mask, scores, -Infinity)
 */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  checkAnyTensor('where', 'condition', condition);
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : condition.dtype === 'int32' ? tensor(0) : condition;
  return whereOp([tensorOrNumber('where', 'a', a, like), tensorOrNumber('where', 'b', b, like)], { condition });
}
