import { gradgradcheck } from '@attograd/gradcheck';
import { gradients, rng, stridesOf, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { div } from '../div';
import { exp } from '../exp';
import { mul } from '../mul';
import { softmax } from '../softmax';
import { sum } from '../sum';
import { type RowLayout, softmaxBackward, softmaxForward } from './softmax';
import { setWasmSoftmaxEnabled, softmaxWasm, wasmSoftmaxAvailable } from './softmax-wasm';

function randomData(size: number, seed: number, scale = 1): Float64Array {
  const generator = rng(seed);
  return Float64Array.from({ length: size }, () => generator.normal() * scale);
}

function randomShape(generator: ReturnType<typeof rng>): number[] {
  const rank = 1 + Math.floor(generator.uniform() * 3);
  return Array.from({ length: rank }, () => 1 + Math.floor(generator.uniform() * 6));
}

/** Index of element `position` of row `row` along `axis` (plain coordinate arithmetic). */
function rowIndices(shape: number[], axis: number): number[][] {
  const strides = stridesOf(shape);
  const size = shape.reduce((a, b) => a * b, 1);
  const rows = new Map<string, number[]>();
  for (let flat = 0; flat < size; flat++) {
    const coords = shape.map((dim, i) => Math.floor(flat / strides[i]) % dim);
    const key = coords.map((c, i) => (i === axis ? '*' : c)).join(',');
    rows.set(key, [...(rows.get(key) ?? []), flat]);
  }
  return [...rows.values()];
}

/** y_i = 1 / Σ_j exp(x_j − x_i): a different formula from the kernel's, equal in exact arithmetic. */
function referenceSoftmax(x: Float64Array, shape: number[], axis: number): Float64Array {
  const y = new Float64Array(x.length);
  for (const row of rowIndices(shape, axis)) {
    for (const i of row) y[i] = 1 / row.reduce((total, j) => total + Math.exp(x[j] - x[i]), 0);
  }
  return y;
}

/** dx_j = Σ_i dy_i ∂y_i/∂x_j with the full Jacobian y_i (δ_ij − y_j). */
function referenceBackward(y: Float64Array, dy: Float64Array, shape: number[], axis: number): Float64Array {
  const dx = new Float64Array(y.length);
  for (const row of rowIndices(shape, axis)) {
    for (const j of row) dx[j] = row.reduce((total, i) => total + dy[i] * y[i] * ((i === j ? 1 : 0) - y[j]), 0);
  }
  return dx;
}

function layout(shape: number[], axis: number): RowLayout {
  return { size: shape.reduce((a, b) => a * b, 1), length: shape[axis], stride: stridesOf(shape)[axis] };
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[i])),
    );
  }
}

describe('softmax kernels', () => {
  it('forward and backward match the definitions on 60 random shapes and every axis (strided rows)', () => {
    const generator = rng(31);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(generator);
      const axis = Math.floor(generator.uniform() * shape.length);
      const x = randomData(layout(shape, axis).size, trial, 3);
      const y = new Float64Array(x.length);
      softmaxForward(x, y, layout(shape, axis));
      expectAllClose(y, referenceSoftmax(x, shape, axis), 1e-14);
      const dy = randomData(x.length, trial + 500);
      const dx = new Float64Array(x.length);
      softmaxBackward(y, dy, dx, layout(shape, axis));
      expectAllClose(dx, referenceBackward(y, dy, shape, axis), 1e-14);
    }
  });

  it('float32 forward and backward match the float64 kernels to float32 precision', () => {
    const shape = [5, 9];
    const x = randomData(45, 3, 2);
    const y = new Float64Array(45);
    softmaxForward(x, y, layout(shape, 1));
    const y32 = new Float32Array(45);
    softmaxForward(Float32Array.from(x), y32, layout(shape, 1));
    expectAllClose(y32, y, 1e-6);
    const dy = randomData(45, 4);
    const dx = new Float64Array(45);
    softmaxBackward(y, dy, dx, layout(shape, 1));
    const dx32 = new Float32Array(45);
    softmaxBackward(y32, Float32Array.from(dy), dx32, layout(shape, 1));
    expectAllClose(dx32, dx, 1e-6);
  });

  it('−∞ gets probability 0, an all −∞ row gives zeros (and zero gradient), huge logits stay finite', () => {
    const x = new Float64Array([0, -Infinity, 1, -Infinity, -Infinity, -Infinity, 1000, 999, -1000]);
    const y = new Float64Array(9);
    softmaxForward(x, y, { size: 9, length: 3, stride: 1 });
    const e = Math.exp(1);
    expectAllClose(y.slice(0, 3), [1 / (1 + e), 0, e / (1 + e)], 1e-15);
    expect(Array.from(y.slice(3, 6))).toEqual([0, 0, 0]);
    expectAllClose(y.slice(6), [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1)), 0], 1e-15);
    const dx = new Float64Array(9);
    softmaxBackward(y, randomData(9, 5), dx, { size: 9, length: 3, stride: 1 });
    expect(Array.from(dx.slice(3, 6)).every((value) => value === 0)).toBe(true); // ±0
  });
});

describe('WebAssembly softmax kernel', () => {
  /** Runs both kernels on rows × length values; returns [TypeScript (Math.exp), WebAssembly]. */
  function both(x: Float64Array, rows: number, length: number): [Float64Array, Float64Array] {
    const typescript = new Float64Array(x.length);
    softmaxForward(x, typescript, { size: x.length, length, stride: 1 }, false);
    const wasm = new Float64Array(x.length);
    expect(softmaxWasm(x, wasm, rows, length)).toBe(true);
    return [typescript, wasm];
  }

  it('runs here (otherwise only the TypeScript kernel is being tested)', () => {
    expect(wasmSoftmaxAvailable()).toBe(true);
  });

  it('matches the Math.exp kernel on random rows of odd and even lengths and wide logit ranges', () => {
    const generator = rng(71);
    for (let trial = 0; trial < 40; trial++) {
      const rows = 1 + Math.floor(generator.uniform() * 9);
      const length = 1 + Math.floor(generator.uniform() * 70);
      const x = randomData(rows * length, trial + 700, [1, 30, 400][trial % 3]);
      const [typescript, wasm] = both(x, rows, length);
      // The row sums are added in another order: relative differences of a few ε·√length.
      for (let i = 0; i < x.length; i++) {
        expect(Math.abs(wasm[i] - typescript[i]), `element ${i}`).toBeLessThanOrEqual(1e-14 * typescript[i] + 1e-300);
      }
    }
  });

  it('e^v near and past the underflow cut (v < −708 gives 0; the true value is below 3.3e-308)', () => {
    const offsets = [0, -1, -700, -707.9, -708, -708.1, -745, -800, -1e300];
    const x = Float64Array.from(offsets);
    const [typescript, wasm] = both(x, 1, x.length);
    for (let i = 0; i < x.length; i++) {
      expect(Math.abs(wasm[i] - typescript[i])).toBeLessThanOrEqual(1e-15 * typescript[i] + 3.3e-308);
      if (offsets[i] < -708) expect(wasm[i]).toBe(0);
    }
  });

  it('−∞ entries get 0, all −∞ rows give zeros, NaN and +∞ rows give NaN as the TypeScript kernel', () => {
    const x = new Float64Array([0, -Infinity, 2, -Infinity, -Infinity, -Infinity, Number.NaN, 1, 2, Infinity, 0, 1, 1e308, -1e308, 5]);
    const [typescript, wasm] = both(x, 5, 3);
    for (let i = 0; i < x.length; i++) {
      expect(Number.isNaN(wasm[i]), `element ${i}`).toBe(Number.isNaN(typescript[i]));
      if (!Number.isNaN(typescript[i])) expect(Math.abs(wasm[i] - typescript[i])).toBeLessThanOrEqual(1e-15);
    }
    expect(Array.from(wasm.slice(3, 6))).toEqual([0, 0, 0]);
    expect(wasm[1]).toBe(0);
  });

  it('softmaxForward uses it for contiguous float64 rows and gives the same values with it off', () => {
    const x = randomData(12 * 37, 81, 5);
    const layoutOfRows = { size: x.length, length: 37, stride: 1 };
    const viaWasm = new Float64Array(x.length);
    softmaxForward(x, viaWasm, layoutOfRows);
    setWasmSoftmaxEnabled(false);
    try {
      expect(wasmSoftmaxAvailable()).toBe(false);
      const viaTypescript = new Float64Array(x.length);
      softmaxForward(x, viaTypescript, layoutOfRows);
      expectAllClose(viaWasm, viaTypescript, 1e-14);
      expect(softmaxWasm(x, new Float64Array(x.length), 12, 37)).toBe(false);
    } finally {
      setWasmSoftmaxEnabled(true);
    }
  });
});

/** softmax written with ops only (no fused rule anywhere), to compare higher-order gradients. */
function compositeSoftmax(x: Tensor): Tensor {
  const e = exp(x);
  return div(e, sum(e, -1, true));
}

describe('fused softmax backward: gradients of gradients stay exact', () => {
  it('Hessian-vector products through the fused backward equal those of a softmax made of ops', () => {
    const data = randomData(12, 41);
    const c = new Tensor(randomData(12, 42), [3, 4]);
    const v = new Tensor(randomData(12, 43), [3, 4]);
    const hvp = (f: (x: Tensor) => Tensor) => {
      const x = new Tensor(data.slice(), [3, 4], { requiresGrad: true });
      const [g] = gradients(f(x), [x], { gradOutput: c, createGraph: true });
      return gradients(g, [x], { gradOutput: v })[0];
    };
    expectAllClose(hvp((x) => softmax(x)).data, hvp(compositeSoftmax).data, 1e-12);
  });

  it('gradgradcheck: second derivatives, and the derivative in the upstream gradient, match finite differences', () => {
    for (const axis of [-1, 0]) {
      const x = new Tensor(randomData(12, 44), [3, 4], { requiresGrad: true });
      const report = gradgradcheck((input) => softmax(input, axis), [x], { seed: 3 });
      expect(report.ok).toBe(true);
    }
  });

  it('third order: the gradient function itself passes gradgradcheck (the fused op inside its own rule)', () => {
    const c = new Tensor(randomData(6, 46), [2, 3]);
    const x = new Tensor(randomData(6, 45), [2, 3], { requiresGrad: true });
    const gradientOf = (input: Tensor) => gradients(softmax(input), [input], { gradOutput: c, createGraph: true })[0];
    expect(gradgradcheck(gradientOf, [x], { seed: 4 }).ok).toBe(true);
  });

  it('the recorded graph of a first-order gradient uses the one fused op', () => {
    const x = new Tensor(randomData(6, 47), [2, 3], { requiresGrad: true });
    const [g] = gradients(softmax(x), [x], { gradOutput: new Tensor(randomData(6, 48), [2, 3]), createGraph: true });
    expect(g.gradFn?.op).toBe('softmaxBackward');
    expect(mul(g, g).requiresGrad).toBe(true);
  });
});
