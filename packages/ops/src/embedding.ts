import { formatShape, rangeError, type Tensor } from '@attograd/tensor';
import { checkIndices, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { indexSelect } from './index-select';
import { reshape } from './reshape';

export const derivation: Derivation = {
  op: 'embedding',
  definition: 'Y[…, :] = W[ids[…], :] for a table W [V, D] and int32 ids [...] → Y [..., D]  (= indexSelect(W, 0, ids) reshaped)',
  kind: 'composite',
  backward: { table: 'dW[v, :] = Σ_{positions p with ids[p] = v} dY[p, :]  (scatter-add: a token used n times gets n gradients)' },
  steps: [
    'looking up row ids[p] is multiplying the one-hot row vector onehot(ids[p]) by W: Y = onehot(ids)·W',
    'so dW = onehot(ids)ᵀ·dY: row v of dW sums dY over the positions holding token v',
    'computed as a scatter-add of dY’s rows into a zero table, never as a V-wide one-hot product; rows of unused tokens stay 0',
  ],
  saves: 'the ids',
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
      throw rangeError('embedding', `ids[${i}] (flat position) is ${ids.data[i]}, outside [0, ${table.shape[0]}) for table ${formatShape(table.shape)}`);
    }
  }
  return reshape(indexSelect(table, 0, reshape(ids, [ids.size])), [...ids.shape, table.shape[1]]);
}
