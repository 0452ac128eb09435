import { formatShape, rangeError, type Tensor } from '@attograd/tensor';
import { checkIndices, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { indexSelect } from './index-select';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'embedding',
  definition: 'Y[…, :] = W[ids[…], :] for a table W [V, D] and int32 ids [...] → Y [..., D]  (= indexSelect(W, 0, ids) reshaped)',
  kind: 'composite',
  backward: { table: 'dW_v = Σ_{p: ids_p = v} dY_p' },
  steps: [
    'looking up row ids[p] is multiplying the one-hot row vector onehot(ids[p]) by W: Y = onehot(ids)·W',
    'so dW = onehot(ids)ᵀ·dY: row v of dW sums dY over the positions holding token v',
    'computed as a scatter-add of dY’s rows into a zero table, never as a V-wide one-hot product; rows of unused tokens stay 0',
  ],
  saves: 'the ids',
  notes: ['a token used n times receives n gradients, added (scatter-add)'],
  ko: {
    definition: '표 W [V, D]와 int32 ids [...]에 대해 Y[…, :] = W[ids[…], :] → Y [..., D] (= indexSelect(W, 0, ids)를 reshape한 것)',
    steps: [
      'ids[p]번째 행을 찾는 것은 원-핫 행벡터 onehot(ids[p])에 W를 곱하는 것과 같다: Y = onehot(ids)·W',
      '그러므로 dW = onehot(ids)ᵀ·dY: dW의 v번째 행은 토큰 v가 놓인 위치들의 dY를 더한 것이다',
      '실제로는 V 폭의 원-핫 곱 대신 dY의 행들을 0으로 채운 표에 흩어 더한다(scatter-add). 쓰이지 않은 토큰의 행은 0으로 남는다',
    ],
    saves: 'ids',
    notes: ['n번 쓰인 토큰은 기울기 n개를 더해 받는다 (scatter-add)'],
  },
};

/**
 * Looks up rows of `table` [V, D] for int32 `ids` of any shape: the result is [...ids.shape, D].
 * The table's gradient is a scatter-add of the result's gradient, so a repeated id accumulates.
 *
 * @throws TypeError when table is not a float Tensor or ids not an int32 Tensor; RangeError when
 * table is not 2-D or an id is outside [0, V).
 * @example
 * const table = randn([100, 16], { requiresGrad: true });
 * embedding(table, tensor([[5, 7, 5]], { dtype: 'int32' })) // [1, 3, 16]
 */
export function embedding(table: Tensor, ids: Tensor): Tensor {
  checkTensor('embedding', 'table', table);
  checkIndices('embedding', 'ids', ids);
  if (table.rank !== 2) throw rangeError('embedding', `table must be 2-D [V, D], got shape ${formatShape(table.shape)}`);
  for (let i = 0; i < ids.size; i++) {
    if (ids.data[i] < 0 || ids.data[i] >= table.shape[0]) {
      throw rangeError(
        'embedding',
        `ids[${i}] (flat position) is ${ids.data[i]}, outside [0, ${table.shape[0]}) for table ${formatShape(table.shape)}`,
      );
    }
  }
  return reshape(indexSelect(table, 0, reshape(ids, [ids.size])), [...ids.shape, table.shape[1]]);
}
