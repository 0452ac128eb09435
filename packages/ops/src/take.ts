/**
 * take and scatterAdd: the two linear primitives behind gather, indexSelect and embedding.
 *
 * take(X, offsets)_i = X_{offsets_i} reads X at precomputed flat positions; scatterAdd(G, offsets)
 * adds each G_i into position offsets_i of a zero tensor of X's shape. They are each other's
 * adjoint, ⟨take(X), G⟩ = Σ_i X_{o_i} G_i = ⟨X, scatterAdd(G)⟩, so each one's backward is the
 * other, and gradients of any order follow. A position read twice gets both gradients added: the
 * scatter-add is what makes repeated indices (a token used twice) accumulate.
 */
import { allocate, type Op, defineOp, normalizeAxis, Tensor } from '@attograd/tensor';
import { checkIndices, checkTensor } from './checks';

interface TakeAttrs {
  /** Flat positions in the source, one per output element. */
  offsets: Int32Array;
  /** The output's shape (size = offsets.length). */
  shape: readonly number[];
  /** The source's shape (for the scatter-add back). */
  sourceShape: readonly number[];
  /** The public op (gather, indexSelect), shown with the attrs in graphs. */
  name: string;
}

export const takeOp: Op<TakeAttrs> = defineOp<TakeAttrs>(
  {
    name: 'take',
    inputNames: ['x'],
    forward([x], { offsets, shape }) {
      const out = allocate(x.dtype, offsets.length);
      for (let i = 0; i < out.length; i++) out[i] = x.data[offsets[i]];
      return new Tensor(out, shape);
    },
    backward: (dY, { attrs }) => [scatterAddOp([dY], attrs)],
  },
  { keepsNoGradients: true },
);

export const scatterAddOp: Op<TakeAttrs> = defineOp<TakeAttrs>(
  {
    name: 'scatterAdd',
    inputNames: ['g'],
    forward([g], { offsets, sourceShape }) {
      const out = allocate(
        g.dtype,
        sourceShape.reduce((size, dim) => size * dim, 1),
      );
      for (let i = 0; i < offsets.length; i++) out[offsets[i]] += g.data[i];
      return new Tensor(out, sourceShape);
    },
    backward: (dX, { attrs }) => [takeOp([dX], attrs)],
  },
  { keepsNoGradients: true },
);

/** The arguments gather and indexSelect share: x a float tensor, index an int32 tensor, axis one of x's. Returns the axis made non-negative. */
export function checkTakeArguments(op: string, x: Tensor, axis: number, index: Tensor): number {
  checkTensor(op, 'x', x);
  checkIndices(op, 'index', index);
  return normalizeAxis(op, axis, x.shape);
}
