import { Tensor, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { dot, expectAdjoint, expectClose, expectNear, normal, PROPERTY_RUNS, seedArbitrary, vjp } from '../test/helpers';
import { matmul, matmulTransposed } from './matmul';
import { transpose } from './transpose';

describe('matmul', () => {
  it('multiplies 2×2 integer matrices: dA = dC·Bᵀ, dB = Aᵀ·dC (by hand)', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = tensor([[5, 6], [7, 8]], { requiresGrad: true });
    const c = matmul(a, b);
    expectClose(c, [[1 * 5 + 2 * 7, 1 * 6 + 2 * 8], [3 * 5 + 4 * 7, 3 * 6 + 4 * 8]]);
    c.backward(tensor([[1, 2], [0, 1]]));
    // dC·Bᵀ = [[1, 2], [0, 1]]·[[5, 7], [6, 8]]
    expectClose(a.grad!, [[5 + 12, 7 + 16], [6, 8]]);
    // Aᵀ·dC = [[1, 3], [2, 4]]·[[1, 2], [0, 1]]
    expectClose(b.grad!, [[1, 2 + 3], [2, 4 + 4]]);
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
    [[3, 4], [4, 5]],
    [[2, 3, 4], [4, 5]],
    [[3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [3, 4, 2]],
    [[1, 1], [1, 3]],
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
    const q = tensor([[1, 2], [3, 4]]);
    const k = tensor([[1, 0], [1, 1], [0, 2]]);
    expectClose(matmulTransposed(q, k, false, true), [[1, 3, 4], [3, 7, 8]]);
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
