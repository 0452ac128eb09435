import { allocate, broadcastIndex, broadcastShapes, shapesEqual, sizeOf, Tensor } from '@attograd/tensor';

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/**
 * a ∘ b with NumPy broadcasting. One loop per kind (no per-element closure), with a fast path
 * when the shapes are equal.
 */
export function binaryKernel(op: BinaryKind, a: Tensor, b: Tensor, names: readonly [string, string]): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape, names);
  const out = allocate(a.dtype, sizeOf(shape));
  const same = shapesEqual(a.shape, b.shape);
  const ai = same ? null : broadcastIndex(a.shape, shape);
  const bi = same ? null : broadcastIndex(b.shape, shape);
  const x = a.data;
  const y = b.data;
  const n = out.length;
  if (ai === null || bi === null) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = x[i] + y[i]; break;
      case 'sub': for (let i = 0; i < n; i++) out[i] = x[i] - y[i]; break;
      case 'mul': for (let i = 0; i < n; i++) out[i] = x[i] * y[i]; break;
      case 'div': for (let i = 0; i < n; i++) out[i] = x[i] / y[i]; break;
    }
  } else {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = x[ai[i]] + y[bi[i]]; break;
      case 'sub': for (let i = 0; i < n; i++) out[i] = x[ai[i]] - y[bi[i]]; break;
      case 'mul': for (let i = 0; i < n; i++) out[i] = x[ai[i]] * y[bi[i]]; break;
      case 'div': for (let i = 0; i < n; i++) out[i] = x[ai[i]] / y[bi[i]]; break;
    }
  }
  return new Tensor(out, shape);
}

export type UnaryKind = 'neg' | 'exp' | 'log' | 'sqrt';

/** f(x) element by element. */
export function unaryKernel(op: UnaryKind, x: Tensor): Tensor {
  const out = allocate(x.dtype, x.size);
  const v = x.data;
  const n = out.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -v[i]; break;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(v[i]); break;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(v[i]); break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(v[i]); break;
  }
  return new Tensor(out, x.shape);
}
