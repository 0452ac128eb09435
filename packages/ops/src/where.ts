import {
  type Op,
  allocateForOverwrite,
  broadcastPlan,
  broadcastShapes,
  defineOp,
  sizeOf,
  Tensor,
  tensor,
  type TensorData,
} from '@attograd/tensor';
import { checkAnyTensor, tensorOrNumber } from './checks';
import { WHERE_LOOPS, type WhereLoops } from './kernels/elementwise-loops.generated';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'where',
  definition: 'Y_i = A_i if condition_i ≠ 0, else B_i; condition, A and B broadcast together; condition is a constant',
  kind: 'linear',
  backward: { a: 'dA = where(condition, dY, 0)', b: 'dB = where(condition, 0, dY)' },
  steps: ['each Y_i is A_i or B_i, chosen by a constant condition', 'the gradient goes to whichever was chosen; the other gets 0'],
  saves: 'the condition',
  ko: {
    definition: 'condition_i ≠ 0이면 Y_i = A_i, 아니면 Y_i = B_i; condition, A, B는 함께 브로드캐스트되며 condition은 상수이다',
    steps: ['각 Y_i는 상수 condition이 고른 A_i 또는 B_i이다', '기울기는 선택된 쪽으로만 가고, 다른 쪽은 0을 받는다'],
    saves: 'condition',
  },
};

/**
 * The attributes of the op: the condition, and optionally its 0/1 byte mask built on first use
 * (the backward's two calls share one, so the mask is built once per backward, not twice).
 */
interface WhereAttrs {
  readonly condition: Tensor;
  readonly mask?: () => Uint8Array;
}

/** The condition as a 0/1 byte mask (NaN counts as nonzero). */
function byteMask(c: TensorData): Uint8Array {
  const mask = new Uint8Array(c.length);
  for (let i = 0; i < c.length; i++) mask[i] = c[i] !== 0 ? 1 : 0;
  return mask;
}

/** The byte mask of `condition`, built by the first call and returned again by the next ones. */
function sharedMask(condition: Tensor): () => Uint8Array {
  let mask: Uint8Array | null = null;
  return () => {
    mask ??= byteMask(condition.data);
    return mask;
  };
}

const whereOp: Op<WhereAttrs> = defineOp<WhereAttrs>(
  {
    name: 'where',
    inputNames: ['a', 'b'],
    forward([a, b], { condition, mask: shared }) {
      const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, a.shape, ['condition', 'a']), b.shape, [
        'condition and a',
        'b',
      ]);
      const out = allocateForOverwrite(a.dtype, sizeOf(shape)); // both paths write every element
      const { outer, inner, offsets, innerStrides } = broadcastPlan([condition.shape, a.shape, b.shape], shape);
      const [sc, sa, sb] = innerStrides;
      const [offsetsC, offsetsA, offsetsB] = offsets;
      // Block by block (see broadcastPlan): a [T, T] mask against [B, H, T, T] scores is blocks of
      // T·T. The condition is first made a 0/1 byte mask (one pass over it, usually far smaller
      // than the output), so the loops (one per dtype, generated) see one kind of array each.
      const loops = WHERE_LOOPS[a.dtype === 'float32' ? 'float32' : 'float64'] as WhereLoops<TensorData>;
      const c = condition.data;
      if (sc === 1 && (sa === 1 || sb === 1)) {
        const mask = shared === undefined ? byteMask(c) : shared();
        if (sa === 1 && sb === 1) loops.both(out, mask, offsetsC, a.data, offsetsA, b.data, offsetsB, outer, inner);
        else if (sb === 1) loops.scalarX(out, mask, offsetsC, a.data, offsetsA, b.data, offsetsB, outer, inner);
        else loops.scalarY(out, mask, offsetsC, a.data, offsetsA, b.data, offsetsB, outer, inner);
      } else {
        // The rest (a condition broadcast inside a block, or a and b both one value there): per element.
        for (let o = 0; o < outer; o++) {
          const start = o * inner;
          const ci = offsetsC[o];
          const ai = offsetsA[o];
          const bi = offsetsB[o];
          for (let j = 0; j < inner; j++) out[start + j] = c[ci + j * sc] !== 0 ? a.data[ai + j * sa] : b.data[bi + j * sb];
        }
      }
      return new Tensor(out, shape);
    },
    backward(dY, { attrs: { condition }, needsGrad }) {
      // One mask for both gradients, built from the condition as it is now (never from a mask
      // an earlier pass built), and only if a loop needs it.
      const zero = tensor(0, { dtype: dY.dtype });
      const attrs = { condition, mask: sharedMask(condition) };
      return [needsGrad[0] ? whereOp([dY, zero], attrs) : null, needsGrad[1] ? whereOp([zero, dY], attrs) : null];
    },
  },
  { keepsNoGradients: true },
);

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
