import { allocate, broadcastPlan, broadcastShapes, type Op, defineOp, sizeOf, Tensor } from '@attograd/tensor';
import { mul } from './mul';

/**
 * The kernel and gradient rule shared by `minimum` and `maximum` (their derivations and public
 * functions stay in minimum.ts and maximum.ts): the two differ only in which comparison picks the
 * first input. C_i is the winner; its gradient weight is 1, the loser's 0, ½ each at a tie, and
 * NaN in either input gives NaN with weight 1 for both (no comparison with NaN is won).
 */
export function defineExtremumOp(name: 'minimum' | 'maximum'): Op<Record<string, never>> {
  const larger = name === 'maximum';
  return defineOp<Record<string, never>, [Tensor, Tensor]>(
    {
      name,
      inputNames: ['a', 'b'],
      forward([a, b]) {
        const shape = broadcastShapes(name, a.shape, b.shape, ['a', 'b']);
        const size = sizeOf(shape);
        const [c, weightA, weightB] = [allocate(a.dtype, size), allocate(a.dtype, size), allocate(a.dtype, size)];
        // Block by block over a broadcastPlan (as the generated element-wise loops), no index per element.
        const { outer, inner, offsets, innerStrides } = broadcastPlan([a.shape, b.shape], shape);
        const [offsetsA, offsetsB] = offsets;
        const [sa, sb] = innerStrides;
        for (let o = 0; o < outer; o++) {
          const start = o * inner;
          for (let j = 0; j < inner; j++) {
            const x = a.data[offsetsA[o] + j * sa];
            const y = b.data[offsetsB[o] + j * sb];
            const aWins = larger ? x > y : x < y;
            const bWins = larger ? y > x : y < x;
            const i = start + j;
            c[i] = x !== x || y !== y ? NaN : aWins ? x : y;
            weightA[i] = bWins ? 0 : x === y ? 0.5 : 1;
            weightB[i] = aWins ? 0 : x === y ? 0.5 : 1;
          }
        }
        return { output: new Tensor(c, shape), saved: [new Tensor(weightA, shape), new Tensor(weightB, shape)] };
      },
      backward: (dC, { saved: [weightA, weightB], needsGrad }) => [
        needsGrad[0] ? mul(dC, weightA) : null,
        needsGrad[1] ? mul(dC, weightB) : null,
      ],
    },
    { keepsNoGradients: true },
  );
}
