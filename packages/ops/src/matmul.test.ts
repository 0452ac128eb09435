import { Tensor, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { dot, expectAdjoint, expectClose, expectNear, normal, PROPERTY_RUNS, seedArbitrary, vjp } from '../test/helpers';
import { wasmGemmAvailable } from './kernels/gemm-wasm';
import { WASM_MIN_MULTIPLY_ADDS } from './kernels/matmul';
import { matmul, matmulTransposed } from './matmul';
import { transpose } from './transpose';

describe('matmul', () => {
  it('multiplies 2×2 integer matrices: dA = dC·Bᵀ, dB = Aᵀ·dC (by hand)', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = tensor(
      [
        [5, 6],
        [7, 8],
      ],
      { requiresGrad: true },
    );
    const c = matmul(a, b);
    expectClose(c, [
      [1 * 5 + 2 * 7, 1 * 6 + 2 * 8],
      [3 * 5 + 4 * 7, 3 * 6 + 4 * 8],
    ]);
    c.backward(
      tensor([
        [1, 2],
        [0, 1],
      ]),
    );
    // dC·Bᵀ = [[1, 2], [0, 1]]·[[5, 7], [6, 8]]
    expectClose(a.grad!, [
      [5 + 12, 7 + 16],
      [6, 8],
    ]);
    // Aᵀ·dC = [[1, 3], [2, 4]]·[[1, 2], [0, 1]]
    expectClose(b.grad!, [
      [1, 2 + 3],
      [2, 4 + 4],
    ]);
  });

  it('multiplies a [1, 3] row by a [3, 1] column into a [1, 1] inner product (by hand)', () => {
    expectClose(matmul(tensor([[1, 2, 3]]), tensor([[4], [5], [6]])), [[4 + 10 + 18]]);
  });

  it('broadcasts batch axes as torch.matmul: [2, 1, 3, 4] · [3, 4, 5] → [2, 3, 3, 5]', () => {
    const a = normal([2, 1, 3, 4], 1, false);
    const b = normal([3, 4, 5], 2, false);
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 3, 3, 5]);
    // batch (1, 2) multiplies a[1, 0] by b[2]
    const slice = (t: Tensor, offset: number, shape: number[]) => new Tensor(t.data.slice(offset, offset + shape[0] * shape[1]), shape);
    expectClose(slice(c, (1 * 3 + 2) * 15, [3, 5]), matmul(slice(a, 12, [3, 4]), slice(b, 2 * 20, [4, 5])), 1e-15);
  });

  it.each([
    [
      [3, 4],
      [4, 5],
    ],
    [
      [2, 3, 4],
      [4, 5],
    ],
    [
      [3, 4],
      [2, 4, 5],
    ],
    [
      [2, 1, 3, 4],
      [3, 4, 2],
    ],
    [
      [1, 1],
      [1, 3],
    ],
  ])('gradcheck: %j · %j', (shapeA, shapeB) => {
    expectGradcheck(matmul, [normal(shapeA, 3), normal(shapeB, 4)]);
  });

  it('is bilinear: ⟨A·B, C⟩ = ⟨A, dC·Bᵀ⟩ = ⟨B, Aᵀ·dC⟩, linear in each factor, with broadcast batches', () => {
    const dims = fc.integer({ min: 1, max: 4 });
    const batches = fc.constantFrom<[number[], number[]]>([[], []], [[2], []], [[], [3]], [[2, 1], [3]], [[1], [2]]);
    fc.assert(
      fc.property(dims, dims, dims, batches, seedArbitrary, (m, k, n, [batchA, batchB], seed) => {
        const a = normal([...batchA, m, k], seed);
        const b = normal([...batchB, k, n], seed + 1);
        const product = matmul(a, b);
        const c = normal(product.shape, seed + 2, false);
        const [dA, dB] = vjp(product, [a, b], c);
        expectNear(dot(product, c), dot(a, dA));
        expectNear(dot(product, c), dot(b, dB));
        expectAdjoint((x) => matmul(x, b.detach()), [a], seed + 3);
        expectAdjoint((x) => matmul(a.detach(), x), [b], seed + 4);
      }),
      PROPERTY_RUNS,
    );
  });

  it('float32 forward matches float64 to ~1e-6', () => {
    const a = normal([3, 8], 5, false);
    const b = normal([8, 4], 6, false);
    const single = matmul(a.to('float32'), b.to('float32'));
    expect(single.dtype).toBe('float32');
    expectClose(single.to('float64'), matmul(a, b), 1e-6);
  });
});

describe('matmulTransposed', () => {
  const flags = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;

  it('Q·Kᵀ without materialising Kᵀ (by hand)', () => {
    const q = tensor([
      [1, 2],
      [3, 4],
    ]);
    const k = tensor([
      [1, 0],
      [1, 1],
      [0, 2],
    ]);
    expectClose(matmulTransposed(q, k, false, true), [
      [1, 3, 4],
      [3, 7, 8],
    ]);
  });

  it.each(flags)('transposeA %s, transposeB %s: equals matmul of explicit transposes, values and gradients', (transposeA, transposeB) => {
    const a = normal(transposeA ? [2, 4, 3] : [2, 3, 4], 7);
    const b = normal(transposeB ? [5, 4] : [4, 5], 8);
    const c = normal([2, 3, 5], 9, false);
    const fused = matmulTransposed(a, b, transposeA, transposeB);
    const explicit = matmul(transposeA ? transpose(a) : a, transposeB ? transpose(b) : b);
    expectClose(fused, explicit.detach(), 1e-14);
    const [fusedA, fusedB] = vjp(fused, [a, b], c);
    const [explicitA, explicitB] = vjp(explicit, [a, b], c);
    expectClose(fusedA, explicitA, 1e-14);
    expectClose(fusedB, explicitB, 1e-14);
  });

  it.each(flags)('gradcheck with transposeA %s, transposeB %s and a broadcast batch', (transposeA, transposeB) => {
    const a = normal(transposeA ? [2, 1, 4, 3] : [2, 1, 3, 4], 10);
    const b = normal(transposeB ? [3, 5, 4] : [3, 4, 5], 11);
    expectGradcheck((x, y) => matmulTransposed(x, y, transposeA, transposeB), [a, b]);
  });
});

describe('matmul on products large enough for the WebAssembly kernel', () => {
  /** op(A)·op(B) by three loops in float64, and the rounding bound of each element: γ_k Σ_p |A_ip||B_pj|. */
  function reference(
    a: ArrayLike<number>,
    transposeA: boolean,
    b: ArrayLike<number>,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
  ) {
    const values = new Float64Array(m * n);
    const magnitudes = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        for (let p = 0; p < k; p++) {
          const product = (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
          values[i * n + j] += product;
          magnitudes[i * n + j] += Math.abs(product);
        }
      }
    }
    return { values, magnitudes };
  }

  // Products past the WebAssembly threshold (and one below it), odd sizes around the tile edges,
  // k beyond one 128-step block; the kernels themselves are compared in kernels/matmul.test.ts.
  const sizes: Array<[number, number, number]> = [
    [3, 4, 5],
    [13, 7, 9],
    [1, 17, 33],
    [7, 9, 300],
    [64, 48, 40],
  ];

  it('WebAssembly SIMD is available here, so the op really runs the wasm path for large products', () => {
    expect(wasmGemmAvailable()).toBe(true);
    expect(13 * 7 * 9).toBeGreaterThanOrEqual(WASM_MIN_MULTIPLY_ADDS);
  });

  it.each(sizes)('matmulTransposed of m %i, n %i, k %i in a broadcast batch, every transpose', (m, n, k) => {
    let seed = m * 10_000 + n * 100 + k;
    for (const [transposeA, transposeB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      const a = normal([2, 1, ...(transposeA ? [k, m] : [m, k])], seed++, false);
      const b = normal([3, ...(transposeB ? [n, k] : [k, n])], seed++, false);
      const product = matmulTransposed(a, b, transposeA, transposeB);
      expect(product.shape).toEqual([2, 3, m, n]);
      for (let batch = 0; batch < 6; batch++) {
        const [i, j] = [Math.floor(batch / 3), batch % 3];
        const { values, magnitudes } = reference(a.data.subarray(i * m * k), transposeA, b.data.subarray(j * k * n), transposeB, m, n, k);
        for (let e = 0; e < m * n; e++) {
          const error = Math.abs(product.data[batch * m * n + e] - values[e]);
          const bound = 2 * (k + 2) * Number.EPSILON * magnitudes[e];
          if (!(error <= bound))
            expect.fail(`batch ${batch}, element ${e}: error ${error} > ${bound} (transposeA ${transposeA}, transposeB ${transposeB})`);
        }
      }
    }
  });

  it('reads operands at offsets (batches) and survives the WebAssembly memory growing between calls', () => {
    const big = normal([2, 160, 150], 40, false);
    const other = normal([150, 170], 41, false);
    const product = matmul(big, other); // grows the memory
    const small = matmul(normal([2, 9, 9], 42, false), normal([9, 9], 43, false));
    const again = matmul(big, other);
    expect(Array.from(again.data)).toEqual(Array.from(product.data));
    const { values } = reference(big.data.subarray(160 * 150), false, other.data, false, 160, 170, 150);
    expectClose(new Tensor(product.data.slice(160 * 170), [160, 170]), new Tensor(values, [160, 170]), 1e-12);
    expect(small.shape).toEqual([2, 9, 9]);
  });

  it('gradcheck on products large enough for the WebAssembly path, forward and backward', () => {
    expect(9 * 10 * 11).toBeGreaterThanOrEqual(WASM_MIN_MULTIPLY_ADDS);
    expectGradcheck(matmul, [normal([9, 10], 44), normal([10, 11], 45)]);
    expectGradcheck((a, b) => matmulTransposed(a, b, true, true), [normal([2, 10, 9], 46), normal([11, 10], 47)]);
  });
});
