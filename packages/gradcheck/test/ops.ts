/**
 * Small ops for the tests, defined with `defineOp` exactly as a user defines their own. Every
 * backward is written with other ops from this file, so gradients stay differentiable. Shapes are
 * kept simple (same-shape element-wise ops, 2-D matmul) because the tests need no broadcasting.
 */
import { defineOp, Tensor, type Op } from '@attograd/tensor';

function map(x: Tensor, f: (v: number) => number): Tensor {
  return new Tensor(x.data.map(f), x.shape);
}

function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  return new Tensor(
    a.data.map((x, i) => f(x, b.data[i])),
    a.shape,
  );
}

/** a ⊙ b.  da = dOut ⊙ b, db = dOut ⊙ a. */
export const mulOp: Op<Record<string, never>> = defineOp({
  name: 'mul',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => zip(a, b, (x, y) => x * y),
  backward: (dOut, { inputs: [a, b] }) => [mul(dOut, b), mul(dOut, a)],
});
export const mul = (a: Tensor, b: Tensor): Tensor => mulOp([a, b], {});

/** a + b.  da = dOut, db = dOut. */
const addOp = defineOp({
  name: 'add',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => zip(a, b, (x, y) => x + y),
  backward: (dOut) => [dOut, dOut],
});
export const add = (a: Tensor, b: Tensor): Tensor => addOp([a, b], {});

/** c·x.  dx = c·dOut. */
const scaleOp = defineOp<{ factor: number }>({
  name: 'scale',
  inputNames: ['x'],
  forward: ([x], { factor }) => map(x, (v) => factor * v),
  backward: (dOut, { attrs }) => [scale(dOut, attrs.factor)],
});
export const scale = (x: Tensor, factor: number): Tensor => scaleOp([x], { factor });

/** x³.  dx = dOut ⊙ 3x². */
const cubeOp = defineOp({
  name: 'cube',
  inputNames: ['x'],
  forward: ([x]) => map(x, (v) => v * v * v),
  backward: (dOut, { inputs: [x] }) => [mul(dOut, scale(mul(x, x), 3))],
});
export const cube = (x: Tensor): Tensor => cubeOp([x], {});

/** x².  dx = dOut ⊙ 2x. */
const squareOp = defineOp({
  name: 'square',
  inputNames: ['x'],
  forward: ([x]) => map(x, (v) => v * v),
  backward: (dOut, { inputs: [x] }) => [mul(dOut, scale(x, 2))],
});
export const square = (x: Tensor): Tensor => squareOp([x], {});

/** x² with a deliberately wrong backward: the factor 2 is missing. */
const squareMissingTwoOp = defineOp({
  name: 'squareMissingTwo',
  inputNames: ['x'],
  forward: ([x]) => map(x, (v) => v * v),
  backward: (dOut, { inputs: [x] }) => [mul(dOut, x)],
});
export const squareMissingTwo = (x: Tensor): Tensor => squareMissingTwoOp([x], {});

/** sin x.  dx = dOut ⊙ cos x. */
const sinOp: Op<Record<string, never>> = defineOp({
  name: 'sin',
  inputNames: ['x'],
  forward: ([x]) => map(x, Math.sin),
  backward: (dOut, { inputs: [x] }) => [mul(dOut, cos(x))],
});
export const sin = (x: Tensor): Tensor => sinOp([x], {});

/** cos x.  dx = −dOut ⊙ sin x. */
const cosOp: Op<Record<string, never>> = defineOp({
  name: 'cos',
  inputNames: ['x'],
  forward: ([x]) => map(x, Math.cos),
  backward: (dOut, { inputs: [x] }) => [scale(mul(dOut, sin(x)), -1)],
});
export const cos = (x: Tensor): Tensor => cosOp([x], {});

/** eˣ.  dx = dOut ⊙ y (the output itself). */
const expOp: Op<Record<string, never>> = defineOp({
  name: 'exp',
  inputNames: ['x'],
  forward: ([x]) => map(x, Math.exp),
  backward: (dOut, { output }) => [mul(dOut, output)],
});
export const exp = (x: Tensor): Tensor => expOp([x], {});

/** ln x.  dx = dOut / x (written dOut ⊙ reciprocal(x)). */
const logOp = defineOp({
  name: 'log',
  inputNames: ['x'],
  forward: ([x]) => map(x, Math.log),
  backward: (dOut, { inputs: [x] }) => [mul(dOut, reciprocal(x))],
});
export const log = (x: Tensor): Tensor => logOp([x], {});

/** 1/x.  dx = −dOut / x². */
const reciprocalOp: Op<Record<string, never>> = defineOp({
  name: 'reciprocal',
  inputNames: ['x'],
  forward: ([x]) => map(x, (v) => 1 / v),
  backward: (dOut, { output }) => [scale(mul(dOut, mul(output, output)), -1)],
});
export const reciprocal = (x: Tensor): Tensor => reciprocalOp([x], {});

/** tanh x.  dx = dOut ⊙ (1 − y²). */
const tanhOp: Op<Record<string, never>> = defineOp({
  name: 'tanh',
  inputNames: ['x'],
  forward: ([x]) => map(x, Math.tanh),
  backward: (dOut, { output }) => [add(dOut, scale(mul(dOut, mul(output, output)), -1))],
});
export const tanh = (x: Tensor): Tensor => tanhOp([x], {});

/** Aᵀ for a matrix.  dA = dOutᵀ. */
const transposeOp: Op<Record<string, never>> = defineOp({
  name: 'transpose',
  inputNames: ['a'],
  forward: ([a]) => {
    const [rows, cols] = a.shape;
    const out = new Float64Array(a.size);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a.data[r * cols + c];
    return new Tensor(out, [cols, rows]);
  },
  backward: (dOut) => [transpose(dOut)],
});
export const transpose = (a: Tensor): Tensor => transposeOp([a], {});

function matmulKernel(a: Tensor, b: Tensor): Tensor {
  const [rows, inner] = a.shape;
  const cols = b.shape[1];
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < inner; k++) for (let c = 0; c < cols; c++) out[r * cols + c] += a.data[r * inner + k] * b.data[k * cols + c];
  return new Tensor(out, [rows, cols]);
}

/** A·B.  dA = dOut·Bᵀ, dB = Aᵀ·dOut. */
const matmulOp: Op<Record<string, never>> = defineOp({
  name: 'matmul',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => matmulKernel(a, b),
  backward: (dOut, { inputs: [a, b] }) => [matmul(dOut, transpose(b)), matmul(transpose(a), dOut)],
});
export const matmul = (a: Tensor, b: Tensor): Tensor => matmulOp([a, b], {});

/** A·B with a deliberately wrong backward for A: dOut·B instead of dOut·Bᵀ (square B only). */
const matmulTransposedOp = defineOp({
  name: 'matmulTransposed',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => matmulKernel(a, b),
  backward: (dOut, { inputs: [a, b] }) => [matmul(dOut, b), matmul(transpose(a), dOut)],
});
export const matmulTransposed = (a: Tensor, b: Tensor): Tensor => matmulTransposedOp([a, b], {});

/** a ⊙ b with a backward that forgets b: returns zeros for an input that matters. */
const mulForgetsBOp = defineOp({
  name: 'mulForgetsB',
  inputNames: ['a', 'b'],
  forward: ([a, b]) => zip(a, b, (x, y) => x * y),
  backward: (dOut, { inputs: [, b] }) => [mul(dOut, b), scale(dOut, 0)],
});
export const mulForgetsB = (a: Tensor, b: Tensor): Tensor => mulForgetsBOp([a, b], {});

/** Row-wise softmax of a matrix.  dX = Y ⊙ (dOut − rowsum(dOut ⊙ Y)). */
const softmaxOp: Op<Record<string, never>> = defineOp({
  name: 'softmax',
  inputNames: ['x'],
  forward: ([x]) => {
    const [rows, cols] = x.shape;
    const out = new Float64Array(x.size);
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < cols; c++) max = Math.max(max, x.data[r * cols + c]);
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += out[r * cols + c] = Math.exp(x.data[r * cols + c] - max);
      for (let c = 0; c < cols; c++) out[r * cols + c] /= sum;
    }
    return new Tensor(out, x.shape);
  },
  backward: (dOut, { output }) => {
    const cols = output.shape[1];
    const ones = new Tensor(new Float64Array(cols * cols).fill(1), [cols, cols]);
    // rowsum(dOut ⊙ Y) repeated along each row: (dOut ⊙ Y)·𝟙𝟙ᵀ.
    const rowSums = matmul(mul(dOut, output), ones);
    return [mul(output, add(dOut, scale(rowSums, -1)))];
  },
});
export const softmax = (x: Tensor): Tensor => softmaxOp([x], {});

/** A backward that returns a gradient of the wrong shape (the engine rejects it). */
const badShapeOp = defineOp({
  name: 'badShape',
  inputNames: ['x'],
  forward: ([x]) => map(x, (v) => 2 * v),
  backward: (dOut) => [new Tensor(new Float64Array(dOut.size + 1), [dOut.size + 1])],
});
export const badShape = (x: Tensor): Tensor => badShapeOp([x], {});
