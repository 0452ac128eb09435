/**
 * The both-paths property of issue 11, item 8, at fuzzing strength: the TypeScript and
 * WebAssembly kernels agree on rows of extreme values (±1e308, subnormals, ±∞, NaN, zero
 * variance, length 1), forward and backward, float64 and float32. The properties live beside the
 * kernels (packages/ops/test/both-paths.ts, where the op tests run them a few dozen times); they
 * switch the kernels of the ops' own sources, so they are imported from there, not from dist.
 */
import { describe, it } from 'vitest';
import {
  checkLayerNormKernels,
  checkMatmulKernels,
  checkOpsBothWays,
  checkSoftmaxKernels,
  pathsAvailable,
} from '../../packages/ops/test/both-paths';
import { runs } from '../src/arbitraries';

describe.skipIf(!pathsAvailable())('TypeScript and WebAssembly kernels agree (FUZZ_RUNS)', () => {
  it('softmax kernels', () => checkSoftmaxKernels(runs * 5, 101));
  it('layer-norm kernels, bit for bit', () => checkLayerNormKernels(runs * 5, 102));
  it('matmul kernels, every variant, float64 and float32, bit for bit', () => checkMatmulKernels(runs * 5, 103));
  it('softmax, layerNorm and matmul ops, forward and backward', () => checkOpsBothWays(runs, 104));
});
