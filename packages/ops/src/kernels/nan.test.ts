/**
 * NaN propagates through every comparison-based kernel (issue 11, item 6), as in PyTorch: a row
 * with a NaN softmaxes to NaN everywhere, and max over a group holding a NaN is NaN with a NaN
 * gradient (torch.amax). Only a row that is −∞ everywhere gives the documented zeros.
 */
import { gradients, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { layerNorm } from '../layer-norm';
import { max } from '../max';
import { softmax } from '../softmax';
import { softmaxForward } from './softmax';
import { setWasmSoftmaxEnabled, softmaxWasm, wasmSoftmaxAvailable } from './softmax-wasm';

const { NaN: nan } = Number;
const inf = Infinity;

/** Rows of two, each with a NaN, and the all −∞ row. */
const rows = [
  [nan, nan],
  [-inf, nan],
  [1, nan],
  [nan, -inf],
  [nan, 1],
  [inf, nan],
];

function viaTypescript(x: Float64Array, length: number): Float64Array {
  const y = new Float64Array(x.length);
  softmaxForward(x, y, { size: x.length, length, stride: 1 }, false);
  return y;
}

function viaWasm(x: Float64Array, length: number): Float64Array {
  const y = new Float64Array(x.length);
  expect(softmaxWasm(x, y, x.length / length, length)).toBe(true);
  return y;
}

describe('softmax: a NaN anywhere in a row makes the whole row NaN', () => {
  for (const [name, run] of [
    ['TypeScript', viaTypescript],
    ['WebAssembly', viaWasm],
  ] as const) {
    it.skipIf(name === 'WebAssembly' && !wasmSoftmaxAvailable())(`${name} kernel`, () => {
      for (const row of rows) {
        // Alone, and padded to an odd length (the WebAssembly kernel adds a −∞ lane) with −∞.
        for (const values of [row, [...row, -inf]]) {
          const y = run(Float64Array.from(values), values.length);
          expect(Array.from(y).every(Number.isNaN), `softmax(${values})`).toBe(true);
        }
      }
      // Only a row that is −∞ everywhere gives zeros, for both lengths.
      expect(Array.from(run(new Float64Array([-inf, -inf]), 2))).toEqual([0, 0]);
      expect(Array.from(run(new Float64Array([-inf, -inf, -inf]), 3))).toEqual([0, 0, 0]);
      // A NaN row leaves its neighbours alone.
      const y = run(new Float64Array([0, 0, -inf, nan, -inf, -inf]), 2);
      expect(Array.from(y.subarray(0, 2))).toEqual([0.5, 0.5]);
      expect(Array.from(y.subarray(2, 4)).every(Number.isNaN)).toBe(true);
      expect(Array.from(y.subarray(4, 6))).toEqual([0, 0]);
    });
  }

  it('the softmax op, on a batch big enough for either path and with the WebAssembly kernel off', () => {
    const data = new Float64Array(128).fill(0.5);
    data.set([-inf, nan], 0);
    data.set([nan, nan], 64);
    for (const enabled of [true, false]) {
      setWasmSoftmaxEnabled(enabled);
      try {
        const y = softmax(new Tensor(data, [64, 2]));
        expect(Array.from(y.data.subarray(0, 2)).every(Number.isNaN)).toBe(true);
        expect(Array.from(y.data.subarray(64, 66)).every(Number.isNaN)).toBe(true);
        expect(y.data[2]).toBe(0.5);
      } finally {
        setWasmSoftmaxEnabled(true);
      }
    }
  });
});

describe('max with a NaN (torch.amax)', () => {
  it('gives NaN and a NaN gradient for every element of the group holding the NaN', () => {
    const x = new Tensor(new Float64Array([1, nan, 3, 4, 5, 6]), [2, 3], { requiresGrad: true });
    const y = max(x, -1);
    expect(Number.isNaN(y.data[0])).toBe(true);
    expect(y.data[1]).toBe(6);
    const [dx] = gradients(y, [x], { gradOutput: new Tensor(new Float64Array([0.7, -1.3]), [2]) });
    expect(Array.from(dx.data.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(dx.data.subarray(3), Math.abs)).toEqual([0, 0, 1.3]);
  });

  it('over all axes', () => {
    const x = new Tensor(new Float64Array([nan, 2, -inf]), [3], { requiresGrad: true });
    const y = max(x);
    expect(Number.isNaN(y.data[0])).toBe(true);
    const [dx] = gradients(y, [x], { gradOutput: new Tensor(new Float64Array([0.25]), []) });
    expect(Array.from(dx.data).every(Number.isNaN)).toBe(true);
  });
});

describe('layerNorm with a NaN or an infinity in the row', () => {
  it('gives NaN for the whole row (PyTorch), on either path', () => {
    for (const row of [
      [1, nan],
      [inf, 1],
      [-inf, 2, 3, 4],
      [inf, -inf],
    ]) {
      const y = layerNorm(new Tensor(Float64Array.from(row), [1, row.length]));
      expect(Array.from(y.data).every(Number.isNaN), `layerNorm(${row})`).toBe(true);
    }
  });
});
