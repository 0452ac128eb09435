/**
 * The float32 WebAssembly softmax and layer-norm kernels (softmax32-wasm.ts, layer-norm32-wasm.ts):
 * their accuracy against float64 arithmetic, and their dispatch. The agreement with the TypeScript
 * kernels on extreme rows is in paths.test.ts (test/both-paths.ts).
 */
import { rng } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { layerNormBackward, layerNormForward } from './layer-norm';
import { setWasmLayerNorm32Enabled, wasmLayerNorm32Available } from './layer-norm32-wasm';
import { softmaxBackward, softmaxForward } from './softmax';
import { expCoefficients, setWasmSoftmax32Enabled, softmax32Wasm, wasmSoftmax32Available } from './softmax32-wasm';

const ULP = 2 ** -23;

function normals(size: number, seed: number, scale = 1): Float32Array {
  const generator = rng(seed);
  return Float32Array.from({ length: size }, () => generator.normal() * scale);
}

describe('float32 WebAssembly softmax', () => {
  it('runs here (otherwise only the TypeScript kernels are being tested)', () => {
    expect(wasmSoftmax32Available()).toBe(true);
    expect(wasmLayerNorm32Available()).toBe(true);
  });

  it('e^r polynomial: relative error below 0.1 ulp of float32 on |r| ≤ 0.35 (in float64)', () => {
    const c = expCoefficients();
    let worst = 0;
    for (let i = 0; i <= 20000; i++) {
      const r = -0.35 + (0.7 * i) / 20000;
      let q = 0;
      for (let k = c.length - 1; k >= 0; k--) q = q * r + c[k];
      worst = Math.max(worst, Math.abs((1 + r * q) / Math.exp(r) - 1));
    }
    expect(worst).toBeLessThan(0.1 * ULP);
  });

  it('softmax([0, v]) within 3 ulp of float64 for v from −110 to 0, subnormals within 2⁻¹⁴⁷, 0 below e^−104', () => {
    const offsets = Array.from({ length: 4401 }, (_, i) => Math.fround(-110 + i * 0.025));
    const x = new Float32Array(offsets.flatMap((v) => [0, v, -Infinity, v]));
    const y = new Float32Array(x.length);
    expect(softmax32Wasm(x, y, offsets.length, 4)).toBe(true);
    offsets.forEach((v, row) => {
      const total = 1 + 2 * Math.exp(v);
      const expected = [1 / total, Math.exp(v) / total, 0, Math.exp(v) / total];
      for (let k = 0; k < 4; k++) {
        const got = y[4 * row + k];
        expect(Math.abs(got - expected[k]), `v = ${v}, lane ${k}: ${got} vs ${expected[k]}`).toBeLessThanOrEqual(
          3 * ULP * expected[k] + 2 ** -147,
        );
      }
      if (v < -104) expect(y[4 * row + 1]).toBe(0);
    });
  });

  it('x − max is subtracted exactly (a row whose float32 difference rounds)', () => {
    // −85 − (1 + 3·2⁻²⁰ + 2⁻²³) needs more bits than float32 has near 86 (ulp 2⁻¹⁷): rounded to
    // float32, the difference is off by 3.1e-6, and e^(x − max) by ~26 ulp.
    const x = new Float32Array([1 + 3 * 2 ** -20 + 2 ** -23, -85, -Infinity, -Infinity]);
    const y = new Float32Array(4);
    softmax32Wasm(x, y, 1, 4);
    const difference = x[1] - x[0]; // exact in float64
    const expected = Math.exp(difference) / (1 + Math.exp(difference));
    expect(Math.abs(y[1] - expected)).toBeLessThanOrEqual(2 * ULP * expected);
  });

  it('softmaxForward and softmaxBackward use it for contiguous float32 rows, with the same values as with it off', () => {
    const [rows, length] = [12, 37];
    const layout = { size: rows * length, length, stride: 1 };
    const x = normals(rows * length, 5, 4);
    const dy = normals(rows * length, 6);
    const run = () => {
      const y = new Float32Array(x.length);
      const dx = new Float32Array(x.length);
      softmaxForward(x, y, layout);
      softmaxBackward(y, dy, dx, layout);
      return [y, dx];
    };
    const [viaWasm, dxWasm] = run();
    setWasmSoftmax32Enabled(false);
    try {
      expect(wasmSoftmax32Available()).toBe(false);
      expect(softmax32Wasm(x, new Float32Array(x.length), rows, length)).toBe(false);
      const [viaTypescript, dxTypescript] = run();
      for (let i = 0; i < x.length; i++) {
        expect(Math.abs(viaWasm[i] - viaTypescript[i])).toBeLessThanOrEqual(3 * ULP * viaTypescript[i]);
        // dx from slightly different y: within a few ulp of the row's largest term
        expect(Math.abs(dxWasm[i] - dxTypescript[i])).toBeLessThanOrEqual(1e-6 * (Math.abs(dxTypescript[i]) + 1));
      }
    } finally {
      setWasmSoftmax32Enabled(true);
    }
  });
});

describe('float32 WebAssembly layer norm', () => {
  it('layerNormForward and layerNormBackward use it for float32 rows of even length: the same bits as with it off', () => {
    const [rows, d] = [9, 24];
    const x = normals(rows * d, 7, 3);
    const gamma = normals(d, 8);
    const beta = normals(d, 9);
    const dY = normals(rows * d, 10);
    const run = () => {
      const [y, normalized, rstd] = [new Float32Array(x.length), new Float32Array(x.length), new Float32Array(rows)];
      layerNormForward(x, gamma, beta, 1e-5, d, y, normalized, rstd);
      const [dX, dGamma, dBeta] = [new Float32Array(x.length), new Float32Array(d), new Float32Array(d)];
      layerNormBackward(dY, normalized, rstd, gamma, d, dX, dGamma, dBeta);
      return [y, normalized, rstd, dX, dGamma, dBeta];
    };
    const viaWasm = run();
    setWasmLayerNorm32Enabled(false);
    try {
      expect(wasmLayerNorm32Available()).toBe(false);
      const viaTypescript = run();
      viaWasm.forEach((values, k) => expect(Array.from(values), `output ${k}`).toEqual(Array.from(viaTypescript[k])));
    } finally {
      setWasmLayerNorm32Enabled(true);
    }
  });

  it('float32 and float64 layer norm agree to float32 precision (the float32 kernel is not computing something else)', () => {
    const [rows, d] = [6, 32];
    const x = normals(rows * d, 11, 2);
    const gamma = normals(d, 12);
    const beta = normals(d, 13);
    const y32 = new Float32Array(x.length);
    layerNormForward(x, gamma, beta, 1e-5, d, y32, new Float32Array(x.length), new Float32Array(rows));
    const y64 = new Float64Array(x.length);
    layerNormForward(
      Float64Array.from(x),
      Float64Array.from(gamma),
      Float64Array.from(beta),
      1e-5,
      d,
      y64,
      new Float64Array(x.length),
      new Float64Array(rows),
    );
    for (let i = 0; i < x.length; i++) expect(Math.abs(y32[i] - y64[i])).toBeLessThanOrEqual(ULP * (Math.abs(y64[i]) + 1));
  });
});
