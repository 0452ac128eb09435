import {
  allocateForOverwrite,
  broadcastPlan,
  broadcastShapes,
  formatShape,
  shapesEqual,
  sizeOf,
  Tensor,
  type TensorData,
} from '@attograd/tensor';

import { BINARY_LOOPS, type BinaryLoops } from './elementwise-loops.generated';

/** The offsets of a single block starting at 0 (a flat loop is one block). */
const FIRST_BLOCK = new Int32Array(1);

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/**
 * a ∘ b with NumPy broadcasting, with no per-element index arithmetic. Each (op, dtype) has loops
 * of its own (elementwise-loops.generated.ts), so V8 compiles each for one kind of typed array:
 * same shapes and a one-element operand run as one flat loop; other shapes run block by block over
 * a `broadcastPlan` (a bias `[B, T, d] + [d]` is blocks of d, a mask `[B, H, T, T] + [T, T]` blocks
 * of T·T, a column `[…, T, T] − […, T, 1]` a run against one value per block).
 */
export function binaryKernel(op: BinaryKind, a: Tensor, b: Tensor, names: readonly [string, string]): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape, names);
  // Every path below writes every element, so a pooled buffer need not be zeroed first.
  const out = allocateForOverwrite(a.dtype, sizeOf(shape));
  const loops = BINARY_LOOPS[a.dtype === 'float32' ? 'float32' : 'float64'][op] as BinaryLoops<TensorData>;
  const x = a.data;
  const y = b.data;
  const n = out.length;
  if (shapesEqual(a.shape, b.shape)) loops.same(out, x, y, n);
  else if (y.length === 1 && x.length === n) loops.right(out, x, FIRST_BLOCK, y, FIRST_BLOCK, 1, n);
  else if (x.length === 1 && y.length === n) loops.left(out, x, FIRST_BLOCK, y, FIRST_BLOCK, 1, n);
  else {
    const { outer, inner, offsets, innerStrides } = broadcastPlan([a.shape, b.shape], shape);
    const [offsetsA, offsetsB] = offsets;
    const [sa, sb] = innerStrides;
    // One operand full-size and the other a single block repeated: a bias, a [T, T] mask.
    if (sa === 1 && sb === 1 && x.length === n && y.length === inner) loops.repeatY(out, x, y, outer, inner);
    else if (sa === 1 && sb === 1 && y.length === n && x.length === inner) loops.repeatX(out, x, y, outer, inner);
    else if (sa === 1 && sb === 1) loops.blocks(out, x, offsetsA, y, offsetsB, outer, inner);
    else if (sa === 1) loops.right(out, x, offsetsA, y, offsetsB, outer, inner);
    else if (sb === 1) loops.left(out, x, offsetsA, y, offsetsB, outer, inner);
    else if (n > 0) throw new Error(`binaryKernel: no operand advances in a block of ${formatShape(shape)}`);
    // (Neither operand advances inside a block only when the output is empty: an axis of size 0.)
  }
  return new Tensor(out, shape);
}

/**
 * out[i] = f(a_i, b_i) over the broadcast `shape` of a and b, for the ops without generated loops
 * (pow, its masks, comparisons). Block by block over a `broadcastPlan`, as binaryKernel, so no
 * index array of the output's length is built; f is called once per element, in order.
 */
export function mapBroadcast(out: TensorData, a: Tensor, b: Tensor, shape: readonly number[], f: (x: number, y: number) => number): void {
  const x = a.data;
  const y = b.data;
  const { outer, inner, offsets, innerStrides } = broadcastPlan([a.shape, b.shape], shape);
  const [offsetsA, offsetsB] = offsets;
  const [sa, sb] = innerStrides;
  for (let o = 0; o < outer; o++) {
    const start = o * inner;
    const i = offsetsA[o];
    const k = offsetsB[o];
    for (let j = 0; j < inner; j++) out[start + j] = f(x[i + j * sa], y[k + j * sb]);
  }
}

export type UnaryKind = 'neg' | 'exp' | 'log' | 'sqrt';

/** f(x) element by element. */
export function unaryKernel(op: UnaryKind, x: Tensor): Tensor {
  const out = allocateForOverwrite(x.dtype, x.size); // every element written below
  const v = x.data;
  const n = out.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -v[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(v[i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(v[i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(v[i]);
      break;
  }
  return new Tensor(out, x.shape);
}
