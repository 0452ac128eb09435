import { allocate, broadcastPlan, broadcastShapes, shapesEqual, sizeOf, Tensor, type TensorData } from '@attograd/tensor';

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/**
 * a ∘ b with NumPy broadcasting. One loop per kind (no per-element closure): equal shapes run
 * as one flat loop; other shapes run block by block over a `broadcastPlan`, so a bias, a scalar
 * or a mask is read with no per-element index arithmetic.
 */
export function binaryKernel(op: BinaryKind, a: Tensor, b: Tensor, names: readonly [string, string]): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape, names);
  const out = allocate(a.dtype, sizeOf(shape));
  if (shapesEqual(a.shape, b.shape)) {
    binaryBlock(op, out, 0, a.data, 0, 1, b.data, 0, 1, out.length);
    return new Tensor(out, shape);
  }
  const { outer, inner, offsets, innerStrides } = broadcastPlan([a.shape, b.shape], shape);
  const [offsetsA, offsetsB] = offsets;
  for (let o = 0; o < outer; o++) {
    binaryBlock(op, out, o * inner, a.data, offsetsA[o], innerStrides[0], b.data, offsetsB[o], innerStrides[1], inner);
  }
  return new Tensor(out, shape);
}

/** out[start + j] = x[i + j·sx] ∘ y[k + j·sy] for j < n; strides are 0 (broadcast) or 1. */
function binaryBlock(
  op: BinaryKind,
  out: TensorData,
  start: number,
  x: TensorData,
  i: number,
  sx: number,
  y: TensorData,
  k: number,
  sy: number,
  n: number,
): void {
  const end = start + n;
  if (sx === 1 && sy === 1) {
    const shiftX = i - start;
    const shiftY = k - start;
    switch (op) {
      case 'add':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] + y[j + shiftY];
        break;
      case 'sub':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] - y[j + shiftY];
        break;
      case 'mul':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] * y[j + shiftY];
        break;
      case 'div':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] / y[j + shiftY];
        break;
    }
  } else if (sx === 1) {
    // sy === 0: a run of x against one element of y.
    const shiftX = i - start;
    const v = y[k];
    switch (op) {
      case 'add':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] + v;
        break;
      case 'sub':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] - v;
        break;
      case 'mul':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] * v;
        break;
      case 'div':
        for (let j = start; j < end; j++) out[j] = x[j + shiftX] / v;
        break;
    }
  } else if (sy === 0) {
    // Both broadcast: one value for the whole block.
    const one = new Float64Array([x[i]]);
    binaryBlock(op, one, 0, one, 0, 1, y, k, 0, 1);
    out.fill(one[0], start, end);
  } else {
    // sx === 0, sy === 1: one element of x against a run of y.
    const u = x[i];
    const shiftY = k - start;
    switch (op) {
      case 'add':
        for (let j = start; j < end; j++) out[j] = u + y[j + shiftY];
        break;
      case 'sub':
        for (let j = start; j < end; j++) out[j] = u - y[j + shiftY];
        break;
      case 'mul':
        for (let j = start; j < end; j++) out[j] = u * y[j + shiftY];
        break;
      case 'div':
        for (let j = start; j < end; j++) out[j] = u / y[j + shiftY];
        break;
    }
  }
}

export type UnaryKind = 'neg' | 'exp' | 'log' | 'sqrt';

/** f(x) element by element. */
export function unaryKernel(op: UnaryKind, x: Tensor): Tensor {
  const out = allocate(x.dtype, x.size);
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
