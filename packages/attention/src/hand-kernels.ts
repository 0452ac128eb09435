import { sumToShape, type Tensor } from '@attograd/tensor';
import { matmulTransposed, reshape } from '@attograd/ops';

/**
 * Small numeric helpers for the hand-derived backward functions. They are called under
 * `noGrad`, so the ops below only compute numbers: nothing is recorded, nothing is differentiated.
 */

/** The rows of t: [..., n] → [rows, n], every leading axis folded into the first. */
export function rowsOf(t: Tensor): Tensor {
  return reshape(t, [-1, t.shape[t.rank - 1]]);
}

/**
 * dW for Y = X·W with X: [..., T, d] and W: [d, n] shared by every batch: dW = Xᵀ·dY summed over
 * all rows of all batches, which is one product of the folded rows.
 */
export function weightGradient(x: Tensor, dY: Tensor): Tensor {
  return matmulTransposed(rowsOf(x), rowsOf(dY), true, false);
}

/**
 * A gradient computed in the broadcast batch shape, summed back to its input's shape (a batch
 * axis that was broadcast received contributions from every batch).
 */
export function fitTo(grad: Tensor, like: Tensor): Tensor {
  return sumToShape(grad, like.shape);
}
