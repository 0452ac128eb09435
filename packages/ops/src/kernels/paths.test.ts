/**
 * Both kernel paths agree (issue 11, item 8); the properties live in test/both-paths.ts, shared
 * with the fuzz suite, which runs them many more times.
 */
import { describe, expect, it } from 'vitest';
import {
  checkLayerNormKernels,
  checkMatmulKernels,
  checkOpsBothWays,
  checkSoftmax32Kernels,
  checkLayerNorm32Kernels,
  checkSoftmaxKernels,
  expectSameValues,
  pathsAvailable,
} from '../../test/both-paths';
import { layerNormForward } from './layer-norm';
import { layerNormWasm } from './layer-norm-wasm';

const RUNS = 60;

describe.skipIf(!pathsAvailable())('the TypeScript and WebAssembly kernels agree on extreme rows', () => {
  it('layerNorm of rows with ±1e308 (0 on one path and NaN on the other before): NaN on both, as PyTorch', () => {
    const x = new Float64Array([1e308, 1e308, -1e308, -1e308, 1e308, -1e308, 1e200, -1e200]);
    const run = (wasm: boolean) => {
      const out = [new Float64Array(8), new Float64Array(8), new Float64Array(2)];
      const gamma = new Float64Array([1, 2, 3, 4]);
      const beta = new Float64Array([0.5, 0.5, 0.5, 0.5]);
      if (wasm) expect(layerNormWasm(x, gamma, beta, 1e-5, 4, out[0], out[1], out[2])).toBe(true);
      else layerNormForward(x, gamma, beta, 1e-5, 4, out[0], out[1], out[2], false);
      return out;
    };
    const [wasm, typescript] = [run(true), run(false)];
    for (let k = 0; k < 3; k++) expectSameValues('layerNorm', wasm[k], typescript[k]);
    expect(Array.from(typescript[0]).every(Number.isNaN)).toBe(true);
  });

  it('softmax forward kernels', () => checkSoftmaxKernels(RUNS));
  it('layer-norm forward kernels, bit for bit', () => checkLayerNormKernels(RUNS));
  it('float32 softmax kernels, forward within 3 ulp, backward bit for bit', () => checkSoftmax32Kernels(RUNS));
  it('float32 layer-norm kernels, forward and backward, bit for bit', () => checkLayerNorm32Kernels(RUNS));
  it('matmul kernels, every transpose variant, float64 and float32, bit for bit', () => checkMatmulKernels(RUNS));
  it('softmax, layerNorm and matmul ops, forward and backward, float64 and float32', () => checkOpsBothWays(RUNS / 2));
});
