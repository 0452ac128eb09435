import { full, ones, tensor, zeros } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, uniform, vjp } from '../test/helpers';
import { add } from './add';
import { layerNorm } from './layer-norm';
import { mean } from './mean';
import { mul } from './mul';
import { sum } from './sum';

describe('layerNorm', () => {
  it('normalises [1, 2, 3] (by hand: μ = 2, var = 2/3, and ε = 1/3 makes rstd = 1)', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const gamma = tensor([2, 2, 2], { requiresGrad: true });
    const beta = tensor([0.5, 0, -0.5], { requiresGrad: true });
    const y = layerNorm(x, gamma, beta, 1 / 3);
    // N = [−1, 0, 1], Y = 2N + β
    expectClose(y, [-1.5, 0, 1.5], 1e-15);
    // dY = [1, 0, 0]: dN = γ ⊙ dY = [2, 0, 0], rowmean(dN) = 2/3, rowmean(dN ⊙ N) = −2/3,
    // dX = rstd (dN − rowmean(dN) − N rowmean(dN ⊙ N)) = [2 − 2/3 − 2/3, −2/3, −2/3 + 2/3]
    y.backward(tensor([1, 0, 0]));
    expectClose(x.grad!, [2 / 3, -2 / 3, 0], 1e-15);
    expectClose(gamma.grad!, [-1, 0, 0], 1e-15);
    expectClose(beta.grad!, [1, 0, 0]);
  });

  it('uses the biased variance and ε = 1e-5 by default, with γ = 1 and β = 0 when omitted', () => {
    const y = layerNorm(
      tensor([
        [1, 2, 3],
        [0, 0, 4],
      ]),
    );
    const r1 = 1 / Math.sqrt(2 / 3 + 1e-5);
    // second row: μ = 4/3, var = (16/9 + 16/9 + 64/9)/3 = 32/9
    const r2 = 1 / Math.sqrt(32 / 9 + 1e-5);
    expectClose(
      y,
      [
        [-r1, 0, r1],
        [(-4 / 3) * r2, (-4 / 3) * r2, (8 / 3) * r2],
      ],
      1e-14,
    );
  });

  it.each([[[2, 3, 5]], [[4]], [[1, 3, 2]]])('gradcheck with γ and β on x of shape %j', (shape) => {
    const d = shape[shape.length - 1];
    expectGradcheck((x, gamma, beta) => layerNorm(x, gamma, beta), [normal(shape, 27), uniform([d], 28, 0.5, 1.5), normal([d], 29)]);
  });

  it('over a last axis of size 1 the output is β and dX is exactly 0', () => {
    const x = normal([3, 1], 35);
    const y = layerNorm(x, tensor([2]), tensor([0.25]));
    expectClose(y, [[0.25], [0.25], [0.25]]);
    expectClose(vjp(y, [x], normal([3, 1], 36, false))[0], [[0], [0], [0]], 0);
  });

  it('gradcheck without γ and β, and with a large ε', () => {
    expectGradcheck((x) => layerNorm(x), [normal([3, 4], 30)]);
    expectGradcheck((x) => layerNorm(x, null, null, 0.5), [normal([3, 4], 31)]);
  });

  it('rows of the output have mean 0 and variance var/(var + ε); a constant shift of a row changes nothing', () => {
    const shapes = shapeArbitrary(1, 3, 5).filter((shape) => shape[shape.length - 1] >= 2);
    fc.assert(
      fc.property(shapes, seedArbitrary, fc.double({ min: -20, max: 20, noNaN: true }), (shape, seed, shift) => {
        const x = normal(shape, seed, false);
        const y = layerNorm(x, ones([shape[shape.length - 1]]), zeros([shape[shape.length - 1]]), 1e-5);
        const rowMeans = mean(y, -1);
        expectClose(rowMeans, full(rowMeans.shape, 0), 1e-14);
        const centered = add(x, mul(mean(x, -1, true), -1));
        const variance = mean(mul(centered, centered), -1);
        expectClose(
          mean(mul(y, y), -1),
          tensor(
            Float64Array.from(variance.data, (v) => v / (v + 1e-5)),
            { shape: variance.shape },
          ),
          1e-12,
        );
        expectClose(layerNorm(add(x, shift)), layerNorm(x), 1e-9);
      }),
      PROPERTY_RUNS,
    );
  });

  it('dX of each row sums to 0, and the gradient shapes equal the input shapes', () => {
    fc.assert(
      fc.property(shapeArbitrary(1, 3, 5), seedArbitrary, (shape, seed) => {
        const d = shape[shape.length - 1];
        const [x, gamma, beta] = [normal(shape, seed), normal([d], seed + 1), normal([d], seed + 2)];
        const [dx, dGamma, dBeta] = vjp(layerNorm(x, gamma, beta), [x, gamma, beta], normal(shape, seed + 3, false));
        expect([dx.shape, dGamma.shape, dBeta.shape]).toEqual([shape, [d], [d]]);
        const rowSums = sum(dx, -1);
        expectClose(rowSums, full(rowSums.shape, 0), 1e-12);
      }),
      PROPERTY_RUNS,
    );
  });

  it('float32 forward matches float64 to ~1e-6', () => {
    const [x, gamma, beta] = [normal([3, 8], 32, false), uniform([8], 33, 0.5, 1.5, false), normal([8], 34, false)];
    const single = layerNorm(x.to('float32'), gamma.to('float32'), beta.to('float32'));
    expect(single.dtype).toBe('float32');
    expectClose(single.to('float64'), layerNorm(x, gamma, beta), 1e-6);
  });
});
