/**
 * NaN and ±∞ fed to every op (issue 11, item 6). For each output element the test knows which
 * input elements it is computed from (its sources, written out per op below), and checks:
 * - a NaN among the sources gives NaN (PyTorch: NaN propagates through each of these ops);
 * - all sources finite (moderate values, in the op's domain) gives no NaN, nor any NaN gradient.
 * Sources holding ±∞ but no NaN are left alone (∞ − ∞ is NaN in PyTorch too).
 * An op exported by @attograd/ops without a row here fails the suite, naming it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ops from '@attograd/ops';
import { gradients, rng, Tensor } from '@attograd/tensor';
import { runs } from '../src/arbitraries';

interface NaNCase {
  /** Input shapes; `positive` keeps values in log's and sqrt's domain, `nonzero` in div's. */
  shapes: number[][];
  domain?: 'positive' | 'nonzero';
  /** Which inputs get NaN/±∞ (default all): a condition or mask is not a value. */
  run: (...inputs: Tensor[]) => Tensor;
  /** Flat indices into each input that output element `i` is computed from. */
  sources: (i: number, inputs: Tensor[]) => number[][];
}

const flat = (shape: number[], index: number[]) => index.reduce((at, v, axis) => at * shape[axis] + v, 0);
function unflat(shape: number[], i: number): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = i % shape[axis];
    i = Math.floor(i / shape[axis]);
  }
  return index;
}
/** Broadcasting (NumPy rules) from `outShape` back to `shape`: the source of out element i. */
function broadcastSource(outShape: number[], shape: number[], i: number): number {
  const index = unflat(outShape, i).slice(outShape.length - shape.length);
  return flat(
    shape,
    index.map((v, axis) => (shape[axis] === 1 ? 0 : v)),
  );
}
const range = (start: number, count: number, step = 1) => Array.from({ length: count }, (_, j) => start + j * step);
const elementwise = (i: number) => [[i]];
const binary = (outShape: number[], a: number[], b: number[]) => (i: number) => [
  [broadcastSource(outShape, a, i)],
  [broadcastSource(outShape, b, i)],
];
/** Reductions and row ops over the last axis of length d: out element of row r reads the row. */
const rowOf = (d: number, perRow: boolean) => (i: number) => [range((perRow ? Math.floor(i / d) : i) * d, d)];

const mask = new Tensor(new Float64Array([1, 0, 0, 1, 0]), [5]);
const condition = new Tensor(new Float64Array([0, 1, 1, 0]), [4, 1]);
/** Class targets / ids in [0, 5) for three rows, and two gather picks per row of 5. */
const targets = new Tensor(Int32Array.from([2, 0, 4]), [3]);
const picks = new Tensor(Int32Array.from([1, 1, 4, 0, 3, 2]), [3, 2]);
/** 0, 1, …, 4 along each row: a row plus the ramp is never constant. */
const ramp = new Tensor(Float64Array.from([0, 1, 2, 3, 4]), [5]);

const cases: Record<string, NaNCase> = {
  add: { shapes: [[4, 5], [5]], run: ops.add, sources: binary([4, 5], [4, 5], [5]) },
  sub: { shapes: [[4, 1], [3]], run: ops.sub, sources: binary([4, 3], [4, 1], [3]) },
  mul: { shapes: [[3], [2, 3]], run: ops.mul, sources: binary([2, 3], [3], [2, 3]) },
  div: {
    shapes: [
      [2, 3],
      [2, 3],
    ],
    domain: 'nonzero',
    run: ops.div,
    sources: binary([2, 3], [2, 3], [2, 3]),
  },
  neg: { shapes: [[7]], run: ops.neg, sources: elementwise },
  exp: { shapes: [[7]], run: ops.exp, sources: elementwise },
  log: { shapes: [[7]], domain: 'positive', run: ops.log, sources: elementwise },
  sqrt: { shapes: [[7]], domain: 'positive', run: ops.sqrt, sources: elementwise },
  scale: { shapes: [[7]], run: (x) => ops.scale(x, -2.5), sources: elementwise },
  matmul: {
    shapes: [
      [3, 4],
      [4, 2],
    ],
    run: ops.matmul,
    sources: (i) => [range(Math.floor(i / 2) * 4, 4), range(i % 2, 4, 2)],
  },
  matmulTransposed: {
    // Aᵀ·Bᵀ with A stored [4, 3], B stored [2, 4]: C[r, c] reads column r of A and row c of B.
    shapes: [
      [4, 3],
      [2, 4],
    ],
    run: (a, b) => ops.matmulTransposed(a, b, true, true),
    sources: (i) => [range(Math.floor(i / 2), 4, 3), range((i % 2) * 4, 4)],
  },
  transpose: { shapes: [[3, 4]], run: (x) => ops.transpose(x), sources: (i) => [[flat([3, 4], unflat([4, 3], i).reverse())]] },
  permute: {
    shapes: [[2, 3, 4]],
    run: (x) => ops.permute(x, [2, 0, 1]),
    sources: (i) => {
      const [k, p, q] = unflat([4, 2, 3], i);
      return [[flat([2, 3, 4], [p, q, k])]];
    },
  },
  reshape: { shapes: [[2, 6]], run: (x) => ops.reshape(x, [3, 4]), sources: elementwise },
  concat: {
    shapes: [
      [2, 3],
      [1, 3],
    ],
    run: (a, b) => ops.concat([a, b], 0),
    sources: (i) => (i < 6 ? [[i], []] : [[], [i - 6]]),
  },
  slice: { shapes: [[4, 3]], run: (x) => ops.slice(x, 0, 1, 3), sources: (i) => [[i + 3]] },
  stack: { shapes: [[3], [3]], run: (a, b) => ops.stack([a, b], 1), sources: (i) => (i % 2 === 0 ? [[i / 2], []] : [[], [(i - 1) / 2]]) },
  sum: { shapes: [[3, 5]], run: (x) => ops.sum(x, -1), sources: rowOf(5, false) },
  mean: { shapes: [[3, 5]], run: (x) => ops.mean(x, -1), sources: rowOf(5, false) },
  max: { shapes: [[3, 5]], run: (x) => ops.max(x, -1), sources: rowOf(5, false) },
  softmax: { shapes: [[4, 5]], run: (x) => ops.softmax(x), sources: rowOf(5, true) },
  where: {
    shapes: [[4, 3], [3]],
    run: (a, b) => ops.where(condition, a, b),
    sources: (i) => (condition.data[Math.floor(i / 3)] !== 0 ? [[i], []] : [[], [i % 3]]),
  },
  maskedFill: { shapes: [[3, 5]], run: (x) => ops.maskedFill(x, mask, -Infinity), sources: (i) => [mask.data[i % 5] !== 0 ? [] : [i]] },
  layerNorm: {
    shapes: [[4, 6], [6], [6]],
    run: (x, gamma, beta) => ops.layerNorm(x, gamma, beta),
    sources: (i) => [range(Math.floor(i / 6) * 6, 6), [i % 6], [i % 6]],
  }, // The ops of issue 13.
  relu: { shapes: [[7]], run: ops.relu, sources: elementwise },
  erf: { shapes: [[7]], run: ops.erf, sources: elementwise },
  gelu: { shapes: [[7]], run: (x) => ops.gelu(x), sources: elementwise },
  tanh: { shapes: [[7]], run: ops.tanh, sources: elementwise },
  sigmoid: { shapes: [[7]], run: ops.sigmoid, sources: elementwise },
  softplus: { shapes: [[7]], run: (x) => ops.softplus(x), sources: elementwise },
  // A number exponent: NaN^0 = 1 (C and PyTorch), so the tensor exponent is not fuzzed here.
  pow: { shapes: [[7]], domain: 'positive', run: (x) => ops.pow(x, 2.5), sources: elementwise },
  square: { shapes: [[7]], run: ops.square, sources: elementwise },
  abs: { shapes: [[7]], run: ops.abs, sources: elementwise },
  clamp: { shapes: [[7]], run: (x) => ops.clamp(x, -1, 1), sources: elementwise },
  minimum: { shapes: [[4, 3], [3]], run: (a, b) => ops.minimum(a, b), sources: binary([4, 3], [4, 3], [3]) },
  maximum: { shapes: [[3], [2, 3]], run: (a, b) => ops.maximum(a, b), sources: binary([2, 3], [3], [2, 3]) },
  logsumexp: { shapes: [[3, 5]], run: (x) => ops.logsumexp(x, -1), sources: rowOf(5, false) },
  logSoftmax: { shapes: [[4, 5]], run: (x) => ops.logSoftmax(x), sources: rowOf(5, true) },
  crossEntropy: {
    shapes: [[3, 5]],
    run: (x) => ops.crossEntropy(x, targets, { reduction: 'none', labelSmoothing: 0.1 }),
    sources: rowOf(5, false),
  },
  nllLoss: { shapes: [[3, 5]], run: (x) => ops.nllLoss(x, targets, { reduction: 'none' }), sources: (i) => [[i * 5 + targets.data[i]]] },
  mseLoss: {
    shapes: [
      [2, 3],
      [2, 3],
    ],
    run: (a, b) => ops.mseLoss(a, b, { reduction: 'none' }),
    sources: binary([2, 3], [2, 3], [2, 3]),
  },
  gather: { shapes: [[3, 5]], run: (x) => ops.gather(x, 1, picks), sources: (i) => [[Math.floor(i / 2) * 5 + picks.data[i]]] },
  indexSelect: {
    shapes: [[5, 2]],
    run: (x) => ops.indexSelect(x, 0, targets),
    sources: (i) => [[targets.data[Math.floor(i / 2)] * 2 + (i % 2)]],
  },
  embedding: { shapes: [[5, 2]], run: (w) => ops.embedding(w, targets), sources: (i) => [[targets.data[Math.floor(i / 2)] * 2 + (i % 2)]] },
  tril: { shapes: [[3, 3]], run: (x) => ops.tril(x), sources: (i) => [i % 3 <= Math.floor(i / 3) ? [i] : []] },
  triu: { shapes: [[3, 3]], run: (x) => ops.triu(x), sources: (i) => [i % 3 >= Math.floor(i / 3) ? [i] : []] },
  squeeze: { shapes: [[2, 1, 3]], run: (x) => ops.squeeze(x), sources: elementwise },
  unsqueeze: { shapes: [[2, 3]], run: (x) => ops.unsqueeze(x, 1), sources: elementwise },
  expand: { shapes: [[3, 1]], run: (x) => ops.expand(x, [2, 3, 4]), sources: (i) => [[broadcastSource([2, 3, 4], [3, 1], i)]] },
  variance: { shapes: [[3, 5]], run: (x) => ops.variance(x, -1), sources: rowOf(5, false) },
  var: { shapes: [[3, 5]], run: (x) => ops.var(x, -1, { correction: 0 }), sources: rowOf(5, false) },
  // std of a constant row is 0 with an infinite gradient (then NaN): the row is shifted by a ramp so it is never constant.
  std: { shapes: [[3, 5]], run: (x) => ops.std(ops.add(x, ramp), -1), sources: rowOf(5, false) },
  // NaN·0 is NaN: a dropped NaN stays NaN (PyTorch multiplies by the mask too).
  dropout: { shapes: [[7]], run: (x) => ops.dropout(x, 0.5, { rng: rng(1) }), sources: elementwise },
  oneHot: { shapes: [[3, 5]], run: (x) => ops.mul(x, ops.oneHot(targets, 5)), sources: elementwise },
  argmax: { shapes: [[3, 5]], run: (x) => ops.gather(x, 1, ops.argmax(x, 1, true)), sources: rowOf(5, false) },
  argmin: { shapes: [[3, 5]], run: (x) => ops.gather(x, 1, ops.argmin(x, 1, true)), sources: rowOf(5, false) },
  eq: { shapes: [[7]], run: (x) => ops.mul(x, ops.eq(x, 0.5)), sources: elementwise },
  ne: { shapes: [[7]], run: (x) => ops.mul(x, ops.ne(x, 0.5)), sources: elementwise },
  gt: { shapes: [[7]], run: (x) => ops.mul(x, ops.gt(x, 0.5)), sources: elementwise },
  ge: { shapes: [[7]], run: (x) => ops.mul(x, ops.ge(x, 0.5)), sources: elementwise },
  lt: { shapes: [[7]], run: (x) => ops.mul(x, ops.lt(x, 0.5)), sources: elementwise },
  le: { shapes: [[7]], run: (x) => ops.mul(x, ops.le(x, 0.5)), sources: elementwise },
  arange: { shapes: [[5]], run: (x) => ops.add(x, ops.arange(5)), sources: elementwise },
};

const special = fc.constantFrom(Number.NaN, Infinity, -Infinity);
const moderate = (domain: NaNCase['domain']) =>
  domain === 'positive'
    ? fc.double({ min: 0.1, max: 10, noNaN: true })
    : domain === 'nonzero'
      ? fc.oneof(fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: -10, max: -0.1, noNaN: true }))
      : fc.double({ min: -10, max: 10, noNaN: true });
/**
 * Moderate values with NaN and ±∞ sprinkled in; one run in four has none, one in four nothing
 * else (rows of NaN and −∞ are where softmax's max used to lose the NaN).
 */
const valuesFor = (size: number, domain: NaNCase['domain']) =>
  fc
    .tuple(
      fc.array(fc.oneof({ weight: 5, arbitrary: moderate(domain) }, { weight: 1, arbitrary: special }), {
        minLength: size,
        maxLength: size,
      }),
      fc.array(special, { minLength: size, maxLength: size }),
      fc.nat({ max: 3 }),
    )
    .map(([values, specials, mode]) => (mode === 0 ? values.map((v) => (Number.isFinite(v) ? v : 1.5)) : mode === 1 ? specials : values));

const exported = Object.entries(ops)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();

describe('NaN and ±∞ through every op', () => {
  it('covers every exported op', () => {
    expect(
      exported.filter((name) => !(name in cases)),
      'ops without a NaN case in fuzz/test/nan.test.ts',
    ).toEqual([]);
  });

  it.each(exported.filter((name) => name in cases))('%s: NaN in gives NaN out, finite in gives no NaN (values and gradients)', (name) => {
    const { shapes, domain, run, sources } = cases[name];
    const inputs = fc.tuple(
      ...shapes.map((shape) =>
        valuesFor(
          shape.reduce((p, q) => p * q, 1),
          domain,
        ),
      ),
      fc.nat(),
    );
    fc.assert(
      fc.property(inputs, (drawn) => {
        const seed = drawn[drawn.length - 1] as number;
        const tensors = shapes.map((shape, k) => new Tensor(Float64Array.from(drawn[k] as number[]), shape, { requiresGrad: true }));
        const y = run(...tensors);
        let allFinite = true;
        for (let i = 0; i < y.size; i++) {
          const read = sources(i, tensors).flatMap((indices, k) => indices.map((at) => tensors[k].data[at]));
          if (read.some(Number.isNaN)) expect(y.data[i], `${name} output ${i} from ${read}`).toBeNaN();
          else if (read.every(Number.isFinite)) expect(Number.isNaN(y.data[i]), `${name} output ${i} from finite ${read}`).toBe(false);
          allFinite &&= read.every(Number.isFinite);
        }
        if (!tensors.every((t) => t.data.every(Number.isFinite))) return;
        const generator = rng(seed);
        const cotangent = new Tensor(
          Float64Array.from({ length: y.size }, () => generator.normal()),
          y.shape,
        );
        for (const [k, g] of gradients(y, tensors, { gradOutput: cotangent }).entries()) {
          expect(g.data.some(Number.isNaN), `${name} gradient of input ${k} from finite inputs`).toBe(false);
        }
        expect(allFinite).toBe(true);
      }),
      { numRuns: runs, seed: 21 },
    );
  });
});
