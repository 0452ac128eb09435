import { rng, Tensor, type TensorData } from '@attograd/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { matmulTransposed } from '../matmul';
import { setWasmKernelsEnabled, wasmGemmAvailable } from './gemm-wasm';
import { type MatmulKernel, matmulInto, matmulReference } from './matmul';

type DType = 'float64' | 'float32';
const EPSILON: Record<DType, number> = { float64: 2 ** -52, float32: 2 ** -23 };

function randomArray(size: number, dtype: DType, seed: number): TensorData {
  const generator = rng(seed);
  const data = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = generator.normal();
  return data;
}

interface Product {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  dtype: DType;
  a: TensorData;
  b: TensorData;
  aOffset: number;
  bOffset: number;
}

function product(m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, dtype: DType, seed: number): Product {
  const [aOffset, bOffset] = [seed % 5, (seed * 3) % 7];
  return {
    m,
    n,
    k,
    transposeA,
    transposeB,
    dtype,
    aOffset,
    bOffset,
    a: randomArray(aOffset + m * k, dtype, seed),
    b: randomArray(bOffset + k * n, dtype, seed + 1000),
  };
}

/** Runs one kernel into a buffer filled with a sentinel around (and garbage inside) the output. */
function run(p: Product, kernel: MatmulKernel, cOffset = 3): TensorData {
  const c = p.dtype === 'float64' ? new Float64Array(cOffset + p.m * p.n + 4) : new Float32Array(cOffset + p.m * p.n + 4);
  c.fill(7);
  matmulInto(p.a, p.aOffset, p.transposeA, p.b, p.bOffset, p.transposeB, c, cOffset, p.m, p.n, p.k, kernel);
  return c;
}

/** op(A)_ip and op(B)_pj read straight from the stored arrays. */
function element(p: Product, i: number, j: number, q: number): [number, number] {
  const aip = p.transposeA ? p.a[p.aOffset + q * p.m + i] : p.a[p.aOffset + i * p.k + q];
  const bpj = p.transposeB ? p.b[p.bOffset + j * p.k + q] : p.b[p.bOffset + q * p.n + j];
  return [aip, bpj];
}

/**
 * Checks c against the reference: two summation orders of k products differ by at most
 * 2kε·Σ_p|a_ip b_pj| (each is within kε·Σ|…| of the exact sum), plus one rounding of the result.
 */
function expectMatchesReference(p: Product, c: TensorData, cOffset = 3): void {
  const reference = run(p, 'reference', cOffset);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let magnitude = 0;
      for (let q = 0; q < p.k; q++) {
        const [aip, bpj] = element(p, i, j, q);
        magnitude += Math.abs(aip * bpj);
      }
      const at = cOffset + i * p.n + j;
      const bound = (2 * p.k + 2) * EPSILON[p.dtype] * magnitude;
      if (!(Math.abs(c[at] - reference[at]) <= bound)) {
        throw new Error(
          `C[${i}, ${j}] = ${c[at]}, reference ${reference[at]} (bound ${bound}) for ${JSON.stringify({ ...p, a: undefined, b: undefined })}`,
        );
      }
    }
  }
  // Outside the output nothing is written.
  for (let at = 0; at < cOffset; at++) expect(c[at]).toBe(7);
  for (let at = cOffset + p.m * p.n; at < c.length; at++) expect(c[at]).toBe(7);
}

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 17, 31, 33, 64];
const K_SIZES = [1, 2, 3, 7, 16, 127, 128, 129, 257];

describe('matmul kernels', () => {
  afterEach(() => setWasmKernelsEnabled(true));

  it('has WebAssembly SIMD in this Node (otherwise the tests below only exercise the fallback)', () => {
    expect(wasmGemmAvailable()).toBe(true);
  });

  for (const kernel of ['typescript', 'wasm', 'auto'] as const) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${kernel} ${dtype}: matches the reference on 120 random shapes, every transpose, odd sizes, k across the block size`, () => {
        const generator = rng(dtype === 'float64' ? 11 : 12);
        const pick = (values: number[]) => values[Math.floor(generator.uniform() * values.length)];
        for (let trial = 0; trial < 120; trial++) {
          const p = product(pick(SIZES), pick(SIZES), pick(K_SIZES), trial % 2 === 1, trial % 4 >= 2, dtype, trial);
          expectMatchesReference(p, run(p, kernel));
        }
      });
    }
  }

  it('the WebAssembly and TypeScript kernels agree on a product larger than one memory page holds', () => {
    // NN and TT between them read each operand along both axes.
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, true],
    ]) {
      const p = product(150, 203, 301, transposeA, transposeB, 'float64', 5);
      const viaWasm = run(p, 'wasm');
      expectMatchesReference(p, viaWasm);
      expectMatchesReference(p, run(p, 'typescript'));
    }
    // Small again after the memory grew: the kernel must use the new buffer.
    const small = product(5, 3, 9, false, false, 'float64', 6);
    expectMatchesReference(small, run(small, 'wasm'));
  });

  it('k = 0 gives zeros, and m = 0 or n = 0 writes nothing', () => {
    for (const kernel of ['typescript', 'wasm', 'auto'] as const) {
      const c = new Float64Array(6).fill(7);
      matmulInto(new Float64Array(0), 0, false, new Float64Array(0), 0, false, c, 1, 2, 2, 0, kernel);
      expect(Array.from(c)).toEqual([7, 0, 0, 0, 0, 7]);
      const untouched = new Float64Array(3).fill(7);
      matmulInto(new Float64Array(4), 0, false, new Float64Array(0), 0, false, untouched, 0, 0, 3, 4, kernel);
      matmulInto(new Float64Array(0), 0, false, new Float64Array(4), 0, false, untouched, 0, 3, 0, 4, kernel);
      expect(Array.from(untouched)).toEqual([7, 7, 7]);
    }
  });

  it('NaN and ±Infinity propagate exactly as in the reference (zero padding adds no NaN)', () => {
    const p = product(9, 11, 13, false, false, 'float64', 8);
    p.a[p.aOffset + 2 * 13 + 4] = Number.NaN;
    p.a[p.aOffset + 5 * 13 + 1] = Number.POSITIVE_INFINITY;
    p.b[p.bOffset + 3 * 11 + 7] = Number.NEGATIVE_INFINITY;
    const reference = run(p, 'reference');
    for (const kernel of ['typescript', 'wasm'] as const) {
      const c = run(p, kernel);
      for (let at = 0; at < c.length; at++) {
        expect(Number.isNaN(c[at]), `element ${at}`).toBe(Number.isNaN(reference[at]));
        if (!Number.isFinite(reference[at])) expect(c[at]).toBe(reference[at]);
      }
    }
  });

  it('falls back to the TypeScript kernel, with the same results, when WebAssembly is turned off', () => {
    const p = product(40, 37, 50, true, false, 'float64', 9);
    const viaWasm = run(p, 'auto');
    setWasmKernelsEnabled(false);
    expect(wasmGemmAvailable()).toBe(false);
    const viaTypescript = run(p, 'wasm');
    expectMatchesReference(p, viaTypescript);
    expectMatchesReference(p, viaWasm);
    expect(Array.from(viaTypescript)).toEqual(Array.from(run(p, 'typescript')));
  });

  it('matmulReference computes a 2×3 by 3×2 product by hand, in all four layouts', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [[1, 2, 3], [4, 5, 6]]
    const aT = new Float64Array([1, 4, 2, 5, 3, 6]);
    const b = new Float64Array([7, 8, 9, 10, 11, 12]); // [[7, 8], [9, 10], [11, 12]]
    const bT = new Float64Array([7, 9, 11, 8, 10, 12]);
    const expected = [1 * 7 + 2 * 9 + 3 * 11, 1 * 8 + 2 * 10 + 3 * 12, 4 * 7 + 5 * 9 + 6 * 11, 4 * 8 + 5 * 10 + 6 * 12];
    for (const [left, transposeA] of [
      [a, false],
      [aT, true],
    ] as const) {
      for (const [right, transposeB] of [
        [b, false],
        [bT, true],
      ] as const) {
        const c = new Float64Array(4);
        matmulReference(left, 0, transposeA, right, 0, transposeB, c, 0, 2, 2, 3);
        expect(Array.from(c)).toEqual(expected);
      }
    }
  });
});

describe('matmul op on the fast kernels', () => {
  it('broadcast batches with transposes match per-batch reference products (float64 and float32)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [transposeA, transposeB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const [m, k, n] = [7, 33, 10];
        const aShape = transposeA ? [2, 1, k, m] : [2, 1, m, k];
        const bShape = transposeB ? [3, n, k] : [3, k, n];
        const a = new Tensor(randomArray(2 * m * k, dtype, 21), aShape);
        const b = new Tensor(randomArray(3 * k * n, dtype, 22), bShape);
        const c = matmulTransposed(a, b, transposeA, transposeB);
        expect(c.shape).toEqual([2, 3, m, n]);
        expect(c.dtype).toBe(dtype);
        for (let batch = 0; batch < 6; batch++) {
          const p: Product = {
            m,
            n,
            k,
            transposeA,
            transposeB,
            dtype,
            a: a.data,
            b: b.data,
            aOffset: Math.floor(batch / 3) * m * k,
            bOffset: (batch % 3) * k * n,
          };
          const slice = c.data.slice(batch * m * n, (batch + 1) * m * n);
          const padded = dtype === 'float64' ? new Float64Array(3 + m * n + 4) : new Float32Array(3 + m * n + 4);
          padded.fill(7);
          padded.set(slice, 3);
          expectMatchesReference(p, padded);
        }
      }
    }
  });
});
