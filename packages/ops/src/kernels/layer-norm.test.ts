import { gradients, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { layerNorm } from '../layer-norm';
import { layerNormBackward, layerNormForward } from './layer-norm';
import { layerNormWasm, setWasmLayerNormEnabled, wasmLayerNormAvailable } from './layer-norm-wasm';

function randomData(size: number, seed: number, scale = 1, shift = 0): Float64Array {
  const generator = rng(seed);
  return Float64Array.from({ length: size }, () => shift + generator.normal() * scale);
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[i])),
    );
  }
}

/** Two-pass reference: μ, biased variance, then N and Y, row by row. */
function referenceForward(x: Float64Array, gamma: Float64Array, beta: Float64Array, d: number, eps: number) {
  const y = new Float64Array(x.length);
  const normalized = new Float64Array(x.length);
  const rstd = new Float64Array(x.length / d);
  for (let row = 0; row < rstd.length; row++) {
    const values = Array.from(x.subarray(row * d, row * d + d));
    const mu = values.reduce((a, b) => a + b, 0) / d;
    const variance = values.reduce((a, b) => a + (b - mu) ** 2, 0) / d;
    rstd[row] = 1 / Math.sqrt(variance + eps);
    values.forEach((value, i) => {
      normalized[row * d + i] = (value - mu) * rstd[row];
      y[row * d + i] = gamma[i] * normalized[row * d + i] + beta[i];
    });
  }
  return { y, normalized, rstd };
}

/** dX_j = Σ_i dN_i ∂N_i/∂X_j with the full Jacobian rstd (δ_ij − 1/d − N_i N_j / d). */
function referenceBackward(dY: Float64Array, normalized: Float64Array, rstd: Float64Array, gamma: Float64Array, d: number) {
  const dX = new Float64Array(dY.length);
  const dGamma = new Float64Array(d);
  const dBeta = new Float64Array(d);
  for (let row = 0; row < rstd.length; row++) {
    const at = row * d;
    for (let j = 0; j < d; j++) {
      let total = 0;
      for (let i = 0; i < d; i++) {
        const jacobian = rstd[row] * ((i === j ? 1 : 0) - 1 / d - (normalized[at + i] * normalized[at + j]) / d);
        total += dY[at + i] * gamma[i] * jacobian;
      }
      dX[at + j] = total;
      dGamma[j] += dY[at + j] * normalized[at + j];
      dBeta[j] += dY[at + j];
    }
  }
  return { dX, dGamma, dBeta };
}

describe('layer-norm kernels', () => {
  it('forward and backward match the definitions on random shapes (d = 1 … 40, offset and scaled rows)', () => {
    const generator = rng(51);
    for (let trial = 0; trial < 30; trial++) {
      const d = 1 + Math.floor(generator.uniform() * 40);
      const rows = 1 + Math.floor(generator.uniform() * 6);
      const x = randomData(rows * d, trial, 5, 100);
      const gamma = randomData(d, trial + 100);
      const beta = randomData(d, trial + 200);
      const eps = 1e-5;
      const expected = referenceForward(x, gamma, beta, d, eps);
      const y = new Float64Array(rows * d);
      const normalized = new Float64Array(rows * d);
      const rstd = new Float64Array(rows);
      layerNormForward(x, gamma, beta, eps, d, y, normalized, rstd);
      expectAllClose(y, expected.y, 1e-12);
      expectAllClose(normalized, expected.normalized, 1e-12);
      expectAllClose(rstd, expected.rstd, 1e-12);

      const dY = randomData(rows * d, trial + 300);
      const reference = referenceBackward(dY, normalized, rstd, gamma, d);
      const [dX, dGamma, dBeta] = [new Float64Array(rows * d), new Float64Array(d), new Float64Array(d)];
      layerNormBackward(dY, normalized, rstd, gamma, d, dX, dGamma, dBeta);
      expectAllClose(dX, reference.dX, 1e-12);
      expectAllClose(dGamma, reference.dGamma, 1e-12);
      expectAllClose(dBeta, reference.dBeta, 1e-12);
    }
  });

  it('backward skips the gradients passed as null', () => {
    const d = 4;
    const dY = randomData(8, 1);
    const normalized = randomData(8, 2);
    const rstd = randomData(2, 3);
    const gamma = randomData(4, 4);
    const dX = new Float64Array(8);
    layerNormBackward(dY, normalized, rstd, gamma, d, dX, null, null);
    expectAllClose(dX, referenceBackward(dY, normalized, rstd, gamma, d).dX, 1e-14);
  });

  it('the fused first-order backward equals the recorded (ops) backward used for higher orders', () => {
    const shape = [3, 5, 6];
    const make = () => [
      new Tensor(randomData(90, 61), shape, { requiresGrad: true }),
      new Tensor(randomData(6, 62), [6], { requiresGrad: true }),
      new Tensor(randomData(6, 63), [6], { requiresGrad: true }),
    ];
    const cotangent = new Tensor(randomData(90, 64), shape);
    const fused = make();
    const fusedGrads = gradients(layerNorm(fused[0], fused[1], fused[2]), fused, { gradOutput: cotangent });
    const recorded = make();
    const recordedGrads = gradients(layerNorm(recorded[0], recorded[1], recorded[2]), recorded, {
      gradOutput: cotangent,
      createGraph: true,
    });
    expect(recordedGrads[0].requiresGrad).toBe(true);
    expect(fusedGrads[0].requiresGrad).toBe(false);
    fusedGrads.forEach((grad, i) => {
      expect(grad.shape).toEqual(recordedGrads[i].shape);
      expectAllClose(grad.data, recordedGrads[i].data, 1e-12);
    });
  });
});

describe('WebAssembly layer-norm forward', () => {
  /** [TypeScript, WebAssembly] results: Y, N and rstd of each. */
  function both(x: Float64Array, gamma: Float64Array, beta: Float64Array, d: number): Float64Array[][] {
    const rows = x.length / d;
    const make = () => [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(rows)];
    const typescript = make();
    layerNormForward(x, gamma, beta, 1e-5, d, typescript[0], typescript[1], typescript[2], false);
    const wasm = make();
    expect(layerNormWasm(x, gamma, beta, 1e-5, d, wasm[0], wasm[1], wasm[2])).toBe(true);
    return [typescript, wasm];
  }

  it('runs here (otherwise only the TypeScript kernel is being tested)', () => {
    expect(wasmLayerNormAvailable()).toBe(true);
  });

  it('matches the TypeScript kernel on random rows of even length, offset and scaled', () => {
    const generator = rng(91);
    for (let trial = 0; trial < 30; trial++) {
      const d = 2 * (1 + Math.floor(generator.uniform() * 40));
      const rows = 1 + Math.floor(generator.uniform() * 9);
      const [scale, shift] = [
        [1, 0],
        [10, 5],
        [1e-3, -50],
      ][trial % 3];
      const x = randomData(rows * d, trial + 900, scale, shift);
      const [typescript, wasm] = both(x, randomData(d, trial + 950), randomData(d, trial + 980), d);
      // The row sums are added in another order (two lanes): μ may differ by up to d·ε·max|x|,
      // which N = (x − μ)/σ divides by σ ≈ scale — large when the rows sit far from 0.
      const tolerance = 1e-14 + (4 * d * 2 ** -52 * (Math.abs(shift) + 5 * scale)) / scale;
      for (let k = 0; k < 3; k++) expectAllClose(wasm[k], typescript[k], tolerance);
    }
  });

  it('leaves odd row lengths to the TypeScript kernel, and is used (with the same values) by layerNormForward', () => {
    expect(
      layerNormWasm(
        new Float64Array(6),
        new Float64Array(3),
        new Float64Array(3),
        1e-5,
        3,
        new Float64Array(6),
        new Float64Array(6),
        new Float64Array(2),
      ),
    ).toBe(false);
    const d = 16;
    const x = randomData(8 * d, 99, 3);
    const gamma = randomData(d, 98);
    const beta = randomData(d, 97);
    const run = () => {
      const out = [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(8)];
      layerNormForward(x, gamma, beta, 1e-5, d, out[0], out[1], out[2]);
      return out;
    };
    const viaWasm = run();
    setWasmLayerNormEnabled(false);
    try {
      expect(wasmLayerNormAvailable()).toBe(false);
      const viaTypescript = run();
      for (let k = 0; k < 3; k++) expectAllClose(viaWasm[k], viaTypescript[k], 1e-12);
    } finally {
      setWasmLayerNormEnabled(true);
    }
  });
});
