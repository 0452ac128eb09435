import { allocate, allocateForOverwrite, type TensorData } from './dtype';
import { formatShape, rangeError } from './errors';
import { defineOp } from './op';
import { broadcastPlan } from './broadcast-plan';
import { broadcastsTo, shapesEqual, sizeOf } from './shape';
import { SUM_LOOPS, type SumLoops } from './sum-loops.generated';
import { Tensor } from './tensor';

/**
 * The three primitives the backward driver itself needs: adding two gradients, summing a gradient
 * back to the shape of a broadcast input, and its adjoint, broadcasting. They are ops like any
 * other, so gradients of gradients flow through them too.
 */

const addGradientsOp = defineOp(
  {
    name: 'addGradients',
    inputNames: ['a', 'b'],
    forward([a, b]) {
      const out = allocateForOverwrite(a.dtype, a.size); // sumInto writes every element
      sumInto(out, a.data, b.data);
      return new Tensor(out, a.shape);
    },
    backward: (dOut) => [dOut, dOut],
  },
  { keepsNoGradients: true },
);

/** out = a + b, element by element: a small loop of its own, so V8 optimises it early and whole. */
function sumInto(out: TensorData, a: TensorData, b: TensorData): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

/**
 * a + b for two gradients of one shape (how the engine accumulates).
 *
 * @throws RangeError when the shapes differ.
 * @example
 * addGradients(dX1, dX2) // dX when x reaches the loss by two paths
 */
export function addGradients(a: Tensor, b: Tensor): Tensor {
  if (!shapesEqual(a.shape, b.shape)) {
    throw rangeError('addGradients', `a has shape ${formatShape(a.shape)} but b has shape ${formatShape(b.shape)}`);
  }
  return addGradientsOp([a, b], {});
}

const sumToShapeOp = defineOp<{ shape: readonly number[] }>(
  {
    name: 'sumToShape',
    inputNames: ['x'],
    forward([x], { shape }) {
      // Accumulated in float64 whatever the dtype: a float32 running sum stops growing at 2^24. A
      // float64 result is the sums themselves, so it comes from allocate (counted, pooled).
      const sums = x.dtype === 'float64' ? (allocate('float64', sizeOf(shape)) as Float64Array) : new Float64Array(sizeOf(shape));
      const { outer, inner, offsets, innerStrides } = broadcastPlan([shape], x.shape);
      const [targets] = offsets;
      // Each block of x is either added onto a run of the sums (stride 1: [B, T, d] → [d] adds rows
      // of d, contiguously) or totalled into one sum (stride 0: a scalar, or a column [..., T, 1]).
      // One pair of loops per dtype, generated (sum-loops.generated.ts: a loop shared by both runs slower).
      const { addRun, total } = SUM_LOOPS[x.dtype === 'float32' ? 'float32' : 'float64'] as SumLoops<TensorData>;
      const values = x.data;
      if (innerStrides[0] === 1) for (let o = 0; o < outer; o++) addRun(sums, targets[o], values, o * inner, inner);
      else for (let o = 0; o < outer; o++) sums[targets[o]] += total(values, o * inner, inner);
      if (x.dtype === 'float64') return new Tensor(sums, shape);
      const out = allocateForOverwrite(x.dtype, sums.length);
      out.set(sums);
      return new Tensor(out, shape);
    },
    backward: (dOut, { inputs: [x] }) => [broadcastTo(dOut, x.shape)],
  },
  { keepsNoGradients: true },
);

/**
 * Sums x over the axes along which `shape` was broadcast to x's shape: the adjoint of
 * `broadcastTo`, and how a gradient returns to a broadcast input.
 *
 * @throws RangeError when `shape` does not broadcast to x's shape.
 * @example
 * sumToShape(ones([2, 3]), [3]) // [2, 2, 2]
 */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  checkBroadcastable('sumToShape', shape, x.shape);
  return sumToShapeOp([x], { shape });
}

const broadcastToOp = defineOp<{ shape: readonly number[] }>(
  {
    name: 'broadcastTo',
    inputNames: ['x'],
    forward([x], { shape }) {
      // Every element is written: by the doubling copy, or block by block.
      const out = allocateForOverwrite(x.dtype, sizeOf(shape));
      const { outer, inner, offsets, innerStrides } = broadcastPlan([x.shape], shape);
      const values = x.data;
      if (innerStrides[0] === 1 && values.length === inner && out.length > 0) {
        // x is one block repeated (a bias [d] → [B, T, d], a mask [T, T] → [B, H, T, T], the
        // gradient of a sum): write it once, then double what is written with memmove.
        out.set(values, 0);
        for (let filled = inner; filled < out.length; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
        return new Tensor(out, shape);
      }
      for (let o = 0; o < outer; o++) {
        const start = o * inner;
        const source = offsets[0][o];
        if (innerStrides[0] === 0) out.fill(values[source], start, start + inner);
        else if (inner >= 256) out.set(values.subarray(source, source + inner), start);
        else for (let j = 0; j < inner; j++) out[start + j] = values[source + j];
      }
      return new Tensor(out, shape);
    },
    backward: (dOut, { inputs: [x] }) => [sumToShape(dOut, x.shape)],
  },
  { keepsNoGradients: true },
);

/**
 * Repeats x along axes of size 1 (and new leading axes) to reach `shape`.
 *
 * @throws RangeError when x's shape does not broadcast to `shape`.
 * @example
 * broadcastTo(tensor([1, 2]), [3, 2]) // [[1, 2], [1, 2], [1, 2]]
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  checkBroadcastable('broadcastTo', x.shape, shape);
  return broadcastToOp([x], { shape });
}

/** A new buffer holding x's values (through `allocate`, so it is counted and may be reused). */
function copyOf(x: Tensor): TensorData {
  const out = allocateForOverwrite(x.dtype, x.size);
  out.set(x.data);
  return out;
}

const cloneOp = defineOp(
  {
    name: 'clone',
    inputNames: ['x'],
    forward: ([x]) => new Tensor(copyOf(x), x.shape),
    backward: (dOut) => [dOut],
  },
  { keepsNoGradients: true },
);

/**
 * A copy of x in a new buffer; recorded (its gradient is the identity), so a clone stays
 * connected to the graph. What `Tensor.clone()` does, and how the engine copies a gradient it
 * must not hand out twice.
 *
 * @example
 * clone(x).data !== x.data // true
 */
export function clone(x: Tensor): Tensor {
  return cloneOp([x], {});
}

/** Throws unless `from` broadcasts to exactly `to`. */
function checkBroadcastable(op: string, from: readonly number[], to: readonly number[]): void {
  if (!broadcastsTo(from, to)) throw rangeError(op, `shape ${formatShape(from)} does not broadcast to ${formatShape(to)}`);
}
