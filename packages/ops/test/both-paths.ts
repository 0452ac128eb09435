/**
 * The TypeScript and WebAssembly kernels give the same answer on the same rows (issue 11, item 8),
 * whichever the batch size picks. Shared by the op tests (a small run count) and the fuzz suite
 * (FUZZ_RUNS): each `check…` is a fast-check property over rows of extreme values.
 *
 * What "the same" means, per kernel:
 * - matmul (every transpose variant, float64 and float32) and layer norm (forward and backward):
 *   bit for bit. Both paths sum in the same order (see gemm-ts.ts, layer-norm.ts) and use the same
 *   IEEE operations, so no tolerance is needed.
 * - softmax: the WebAssembly kernel has its own e^x (within an ulp or two of Math.exp, and exactly 0
 *   below e^−708 ≈ 3.3e-308) and sums in two lanes. Each y_i = e_i / Σ e_j with positive terms,
 *   so the paths differ by at most a few ulp per e plus (d − 1) roundings of the sum: relative
 *   (4d + 16)·2⁻⁵², plus an absolute 4e-308 for the flushed tail. In backward,
 *   dx_i = y_i (dy_i − Σ dy_j y_j) carries that relative error on each term it sums.
 * - float32 softmax forward: the WebAssembly kernel's e^x is a float32 polynomial (softmax32-wasm.ts)
 *   against the TypeScript kernel's float64 Math.exp, each rounded to float32: within 3 ulp of
 *   float32 (relative 3·2⁻²³, measured worst 1.8), plus an absolute 2⁻¹⁴⁷ where results are
 *   float32 subnormals (each path rounds twice there). Float32 softmax backward and float32 layer
 *   norm (forward and backward): bit for bit (float64 arithmetic in the same order, one rounding).
 * Everywhere: NaN where the other path has NaN, and the same infinities.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { type DType, gradients, rng, Tensor } from '@attograd/tensor';
import { layerNorm } from '../src/layer-norm';
import { matmul, matmulTransposed } from '../src/matmul';
import { softmax } from '../src/softmax';
import { layerNormForward } from '../src/kernels/layer-norm';
import { layerNormWasm, setWasmLayerNormEnabled, wasmLayerNormAvailable } from '../src/kernels/layer-norm-wasm';
import { matmulInto } from '../src/kernels/matmul';
import { setWasmKernelsEnabled, wasmGemmAvailable } from '../src/kernels/gemm-wasm';
import { softmaxForward } from '../src/kernels/softmax';
import { setWasmSoftmaxEnabled, softmaxWasm, wasmSoftmaxAvailable } from '../src/kernels/softmax-wasm';
import { setWasmSoftmax32Enabled, softmax32Wasm, softmaxBackward32Wasm, wasmSoftmax32Available } from '../src/kernels/softmax32-wasm';
import {
  layerNorm32Wasm,
  layerNormBackward32Wasm,
  setWasmLayerNorm32Enabled,
  wasmLayerNorm32Available,
} from '../src/kernels/layer-norm32-wasm';
import { layerNormBackward } from '../src/kernels/layer-norm';
import { softmaxBackward } from '../src/kernels/softmax';

export const EPSILON = 2 ** -52;

/** Values that break kernels: overflow, subnormals, infinities, NaN, signed zeros, and ordinary ones. */
export const extremeValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(1e308, -1e308, 1.7e308, 1e154, -1e200, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-310) },
  // Their float32 counterparts (float64 turns the ones above into ±∞ and 0 there).
  { weight: 2, arbitrary: fc.constantFrom(3.4e38, -3e38, 1e19, -1e30, 1.4e-45, -1.4e-45, 1.2e-38) },
  { weight: 2, arbitrary: fc.constantFrom(Infinity, -Infinity, Number.NaN, 0, -0) },
  { weight: 4, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }) },
);

/** A batch of rows of `length`: each row extreme values, or one value repeated (zero variance). */
export function extremeRows(rows: number, length: number): fc.Arbitrary<number[]> {
  const row = fc.oneof(
    fc.array(extremeValue, { minLength: length, maxLength: length }),
    extremeValue.map((v) => Array<number>(length).fill(v)),
  );
  return fc.array(row, { minLength: rows, maxLength: rows }).map((r) => r.flat());
}

/** Row count and length: length 1 included; lengths odd and even (the WebAssembly layer norm takes even ones). */
export const rowShape = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }));

/** Same NaN positions, same infinities, finite values within tolerance(i) of each other. */
export function expectSameValues(
  name: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  tolerance: (i: number) => number = () => 0,
): void {
  expect(a.length, name).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const [p, q] = [a[i], b[i]];
    const where = `${name}[${i}]: ${p} vs ${q}`;
    if (Number.isNaN(p) || Number.isNaN(q)) expect(Number.isNaN(p) && Number.isNaN(q), where).toBe(true);
    else if (!Number.isFinite(p) || !Number.isFinite(q)) expect(p, where).toBe(q);
    else expect(Math.abs(p - q) <= tolerance(i), where).toBe(true);
  }
}

const softmaxTolerance = (length: number, y: ArrayLike<number>) => (i: number) =>
  y instanceof Float32Array ? SOFTMAX32_RELATIVE * Math.abs(y[i]) + 2 ** -147 : (4 * length + 16) * EPSILON * Math.abs(y[i]) + 4e-308;

/** The float32 softmax paths' relative bound (3 ulp of float32); see the header. */
export const SOFTMAX32_RELATIVE = 3 * 2 ** -23;

/** A seeded normal tensor of `shape` and `dtype`. */
function randomTensor(shape: number[], seed: number, dtype: DType, requiresGrad = false): Tensor {
  const generator = rng(seed);
  const values = Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => generator.normal());
  return new Tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), shape, { requiresGrad });
}

function tensorOf(values: number[], shape: number[], dtype: DType): Tensor {
  return new Tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), shape, { requiresGrad: true });
}

/** Runs `run` with the WebAssembly kernels on, then off, and returns both results. */
function onAndOff<T>(switches: ((on: boolean) => void)[], run: () => T): [T, T] {
  const withWasm = run();
  for (const set of switches) set(false);
  try {
    return [withWasm, run()];
  } finally {
    for (const set of switches) set(true);
  }
}

export const pathsAvailable = (): boolean =>
  wasmSoftmaxAvailable() && wasmLayerNormAvailable() && wasmGemmAvailable() && wasmSoftmax32Available() && wasmLayerNorm32Available();

/** The softmax kernels, forced: the TypeScript loop against the WebAssembly kernel, float64 rows. */
export function checkSoftmaxKernels(runs: number, seed = 11): void {
  const input = rowShape.chain(([rows, length]) => fc.tuple(fc.constant(length), extremeRows(rows, length)));
  fc.assert(
    fc.property(input, ([length, values]) => {
      const x = Float64Array.from(values);
      const typescript = new Float64Array(x.length);
      const wasm = new Float64Array(x.length);
      softmaxForward(x, typescript, { size: x.length, length, stride: 1 }, false);
      expect(softmaxWasm(x, wasm, x.length / length, length)).toBe(true);
      expectSameValues('softmax', wasm, typescript, softmaxTolerance(length, typescript));
    }),
    { numRuns: runs, seed },
  );
}

/** The layer-norm forward kernels, forced, on even rows (odd ones always run TypeScript): bit for bit. */
export function checkLayerNormKernels(runs: number, seed = 12): void {
  const input = rowShape.chain(([rows, half]) => fc.tuple(fc.constant(2 * half), extremeRows(rows, 2 * half), extremeRows(2, 2 * half)));
  fc.assert(
    fc.property(input, ([d, values, affine]) => {
      const x = Float64Array.from(values);
      const [gamma, beta] = [Float64Array.from(affine.slice(0, d)), Float64Array.from(affine.slice(d))];
      const outputs = () => [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(x.length / d)];
      const typescript = outputs();
      const wasm = outputs();
      layerNormForward(x, gamma, beta, 1e-5, d, typescript[0], typescript[1], typescript[2], false);
      expect(layerNormWasm(x, gamma, beta, 1e-5, d, wasm[0], wasm[1], wasm[2])).toBe(true);
      ['y', 'normalized', 'rstd'].forEach((name, k) => expectSameValues(`layerNorm ${name}`, wasm[k], typescript[k]));
    }),
    { numRuns: runs, seed },
  );
}

/**
 * The float32 softmax kernels, forced, forward (within SOFTMAX32_RELATIVE) and backward (bit for
 * bit, on the TypeScript forward's y), rows of lengths 1 to 9 (the kernel pads to 4) or 61 to 67.
 */
export function checkSoftmax32Kernels(runs: number, seed = 15): void {
  const shape = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 61, max: 67 })));
  const input = shape.chain(([rows, length]) => fc.tuple(fc.constant(length), extremeRows(rows, length), fc.nat()));
  fc.assert(
    fc.property(input, ([length, values, cotangentSeed]) => {
      const x = Float32Array.from(values);
      const rows = x.length / length;
      const layout = { size: x.length, length, stride: 1 };
      const typescript = new Float32Array(x.length);
      const wasm = new Float32Array(x.length);
      softmaxForward(x, typescript, layout, false);
      expect(softmax32Wasm(x, wasm, rows, length)).toBe(true);
      expectSameValues('softmax float32', wasm, typescript, softmaxTolerance(length, typescript));
      const generator = rng(cotangentSeed);
      const dy = Float32Array.from({ length: x.length }, () => generator.normal());
      const [dxTypescript, dxWasm] = [new Float32Array(x.length), new Float32Array(x.length)];
      softmaxBackward(typescript, dy, dxTypescript, layout, false);
      expect(softmaxBackward32Wasm(typescript, dy, dxWasm, rows, length)).toBe(true);
      expectSameValues('softmax backward float32', dxWasm, dxTypescript);
      expect(
        Array.from(dxWasm, (v) => Object.is(v, -0)),
        'signs of zeros',
      ).toEqual(Array.from(dxTypescript, (v) => Object.is(v, -0)));
    }),
    { numRuns: runs, seed },
  );
}

/** The float32 layer-norm kernels, forced, forward and backward, on even rows: bit for bit. */
export function checkLayerNorm32Kernels(runs: number, seed = 16): void {
  const input = rowShape.chain(([rows, half]) =>
    fc.tuple(fc.constant(2 * half), extremeRows(rows, 2 * half), extremeRows(2, 2 * half), extremeRows(rows, 2 * half)),
  );
  fc.assert(
    fc.property(input, ([d, values, affine, cotangent]) => {
      const x = Float32Array.from(values);
      const rows = x.length / d;
      const [gamma, beta] = [Float32Array.from(affine.slice(0, d)), Float32Array.from(affine.slice(d))];
      const outputs = () => [new Float32Array(x.length), new Float32Array(x.length), new Float32Array(rows)];
      const typescript = outputs();
      const wasm = outputs();
      layerNormForward(x, gamma, beta, 1e-5, d, typescript[0], typescript[1], typescript[2], false);
      expect(layerNorm32Wasm(x, gamma, beta, 1e-5, d, wasm[0], wasm[1], wasm[2])).toBe(true);
      ['y', 'normalized', 'rstd'].forEach((name, k) => expectSameValues(`layerNorm float32 ${name}`, wasm[k], typescript[k]));
      const dY = Float32Array.from(cotangent);
      const gradients = () => [new Float32Array(x.length), new Float32Array(d), new Float32Array(d)];
      const [back, backWasm] = [gradients(), gradients()];
      layerNormBackward(dY, typescript[1], typescript[2], gamma, d, back[0], back[1], back[2], false);
      expect(layerNormBackward32Wasm(dY, typescript[1], typescript[2], gamma, d, backWasm[0], backWasm[1], backWasm[2])).toBe(true);
      ['dX', 'dγ', 'dβ'].forEach((name, k) => expectSameValues(`layerNorm backward float32 ${name}`, backWasm[k], back[k]));
    }),
    { numRuns: runs, seed },
  );
}

/** The matmul kernels, forced, every transpose variant, float64 and float32: bit for bit. */
export function checkMatmulKernels(runs: number, seed = 13): void {
  const sizes = fc.tuple(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 6 }),
    fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(129, 200)),
  );
  const input = sizes.chain(([m, n, k]) =>
    fc.tuple(
      fc.constant([m, n, k]),
      extremeRows(m, k),
      extremeRows(k, n),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom<DType>('float64', 'float32'),
    ),
  );
  fc.assert(
    fc.property(input, ([[m, n, k], aValues, bValues, transposeA, transposeB, dtype]) => {
      const make = (values: number[]) => (dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values));
      const [a, b] = [make(aValues), make(bValues)];
      const product = (kernel: 'typescript' | 'wasm') => {
        const c = make(new Array<number>(m * n).fill(7));
        matmulInto(a, 0, transposeA, b, 0, transposeB, c, 0, m, n, k, kernel);
        return c;
      };
      expectSameValues(
        `matmul ${dtype} ${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'} [${m}×${k}]·[${k}×${n}]`,
        product('wasm'),
        product('typescript'),
      );
    }),
    { numRuns: runs, seed },
  );
}

/**
 * The ops, forward and backward, on batches big enough for the WebAssembly kernels, with them on
 * and then off: softmax, layer norm and matmul (all four variants), float64 and float32, with a
 * seeded normal cotangent.
 */
export function checkOpsBothWays(runs: number, seed = 14): void {
  const dtype = fc.constantFrom<DType>('float64', 'float32');
  const softmaxInput = fc
    .integer({ min: 1, max: 9 })
    .chain((length) => fc.tuple(fc.constant(length), extremeRows(Math.ceil(64 / length), length), dtype, fc.nat()));
  fc.assert(
    fc.property(softmaxInput, ([length, values, type, cotangentSeed]) => {
      const shape = [values.length / length, length];
      const dy = randomTensor(shape, cotangentSeed, type);
      const [wasm, typescript] = onAndOff([setWasmSoftmaxEnabled, setWasmSoftmax32Enabled], () => {
        const x = tensorOf(values, shape, type);
        const y = softmax(x);
        return [y.data, gradients(y, [x], { gradOutput: dy })[0].data];
      });
      expectSameValues(`softmax ${type}`, wasm[0], typescript[0], softmaxTolerance(length, typescript[0]));
      // Each dx_i = y_i (dy_i − Σ_j dy_j y_j): the same relative error on each term.
      const y = typescript[0];
      const dotBound = (i: number) => {
        const start = i - (i % length);
        let bound = 0;
        for (let j = start; j < start + length; j++) bound += Math.abs(dy.data[j] * y[j]);
        return bound;
      };
      const relative = y instanceof Float32Array ? SOFTMAX32_RELATIVE : (4 * length + 16) * EPSILON;
      // float32: each path also rounds dx to float32 (an ulp of dx, or 2⁻¹⁵⁰ among subnormals).
      const rounding = (i: number) => (y instanceof Float32Array ? 2 ** -23 * Math.abs(typescript[1][i]) + 2 ** -147 : 0);
      const dxTolerance = (i: number) =>
        2 * (softmaxTolerance(length, y)(i) + relative * Math.abs(y[i]) * dotBound(i)) * (Math.abs(dy.data[i]) + dotBound(i) + 1) +
        rounding(i);
      expectSameValues(`softmax backward ${type}`, wasm[1], typescript[1], dxTolerance);
    }),
    { numRuns: runs, seed },
  );

  const layerNormInput = fc
    .integer({ min: 1, max: 9 })
    .chain((d) => fc.tuple(fc.constant(d), extremeRows(Math.ceil(64 / d), d), dtype, fc.nat()));
  fc.assert(
    fc.property(layerNormInput, ([d, values, type, cotangentSeed]) => {
      const shape = [values.length / d, d];
      const dy = randomTensor(shape, cotangentSeed, type);
      const [wasm, typescript] = onAndOff([setWasmLayerNormEnabled, setWasmLayerNorm32Enabled], () => {
        const x = tensorOf(values, shape, type);
        const gamma = randomTensor([d], cotangentSeed + 1, type, true);
        const beta = randomTensor([d], cotangentSeed + 2, type, true);
        const y = layerNorm(x, gamma, beta);
        return [y, ...gradients(y, [x, gamma, beta], { gradOutput: dy })].map((t) => t.data);
      });
      ['y', 'dx', 'dγ', 'dβ'].forEach((name, k) => expectSameValues(`layerNorm ${type} ${name}`, wasm[k], typescript[k]));
    }),
    { numRuns: runs, seed: seed + 1 },
  );

  const matmulInput = fc
    .tuple(fc.integer({ min: 8, max: 10 }), fc.integer({ min: 8, max: 10 }), fc.integer({ min: 8, max: 10 }))
    .chain(([m, n, k]) =>
      fc.tuple(fc.constant([m, n, k]), extremeRows(m, k), extremeRows(k, n), fc.boolean(), fc.boolean(), dtype, fc.nat()),
    );
  fc.assert(
    fc.property(matmulInput, ([[m, n, k], aValues, bValues, transposeA, transposeB, type, cotangentSeed]) => {
      const dc = randomTensor([m, n], cotangentSeed, type);
      const [wasm, typescript] = onAndOff([setWasmKernelsEnabled], () => {
        const a = tensorOf(aValues, transposeA ? [k, m] : [m, k], type);
        const b = tensorOf(bValues, transposeB ? [n, k] : [k, n], type);
        const c = transposeA || transposeB ? matmulTransposed(a, b, transposeA, transposeB) : matmul(a, b);
        return [c, ...gradients(c, [a, b], { gradOutput: dc })].map((t) => t.data);
      });
      ['c', 'da', 'db'].forEach((name, k) => expectSameValues(`matmul ${type} ${name}`, wasm[k], typescript[k]));
    }),
    { numRuns: runs, seed: seed + 2 },
  );
}
