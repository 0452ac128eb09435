import type { GradcheckFn } from '@attograd/gradcheck';
import {
  add, concat, div, exp, layerNorm, log, maskedFill, matmul, matmulTransposed, max, mean, mul, neg, permute, reshape, scale,
  slice, softmax, sqrt, stack, sub, sum, transpose, where,
} from '@attograd/ops';
import { rng, sizeOf, Tensor, type Rng } from '@attograd/tensor';
import type { Sizes } from './types';

/**
 * Seeded inputs for every op of @attograd/ops, so `attograd check all` can verify each gradient
 * rule on its own. Shapes come from `--seq` (T) and `--dmodel` (d): X = [batch?, T, d]. Every op
 * that broadcasts gets a second case where it does; log and sqrt get positive inputs, div a
 * divisor away from zero, max values without ties (spaced far wider than any finite-difference
 * step), and the constants of where and maskedFill are 0/1 tensors that need no gradient.
 */

/**
 * One way of calling an op: the function under test and its seeded inputs.
 *
 * @example
 * const [broadcast] = catalogue.add.filter((c) => c.name === 'add/broadcast');
 */
export interface OpCase {
  /** `op` or `op/variant`, e.g. `add/broadcast`. */
  name: string;
  /** The exported function of @attograd/ops it exercises. */
  op: string;
  /** One name per input; the checked ones are created with requiresGrad. */
  inputNames: string[];
  inputs(sizes: Sizes, seed: number): Tensor[];
  fn: GradcheckFn;
}

/** The shape of X: [batch, T, d], or [T, d] without --batch. */
function xShape(sizes: Sizes): number[] {
  return sizes.batch === undefined ? [sizes.seq, sizes.dModel] : [sizes.batch, sizes.seq, sizes.dModel];
}

/** A tensor of `shape` with values drawn one by one; differentiable unless `requiresGrad` is false. */
function drawn(shape: readonly number[], draw: (i: number) => number, requiresGrad = true): Tensor {
  return new Tensor(Float64Array.from({ length: sizeOf(shape) }, (_, i) => draw(i)), shape, { requiresGrad });
}

/** Standard normal values times `factor`. */
function normal(random: Rng, shape: readonly number[], factor = 1): Tensor {
  return drawn(shape, () => factor * random.normal());
}

/** Values in [0.5, 2): positive and away from zero (log, sqrt, divisors). */
function positive(random: Rng, shape: readonly number[]): Tensor {
  return drawn(shape, () => 0.5 + 1.5 * random.uniform());
}

/** A random permutation of evenly spaced values 0.1 apart: no ties, no near-ties. */
function distinct(random: Rng, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const t = drawn(shape, (i) => 0.1 * (i - n / 2));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [t.data[i], t.data[j]] = [t.data[j], t.data[i]];
  }
  return t;
}

/** A constant 0/1 tensor (no gradient) holding both values. */
function binary(random: Rng, shape: readonly number[]): Tensor {
  const bits = (i: number): number => (i < 2 ? 1 - i : random.uniform() < 0.5 ? 1 : 0);
  return drawn(shape, bits, false);
}

type Make = (random: Rng, sizes: Sizes) => Tensor[];

function opCase(name: string, inputNames: string[], make: Make, fn: GradcheckFn): OpCase {
  return { name, op: name.split('/')[0], inputNames, inputs: (sizes, seed) => make(rng(seed), sizes), fn };
}

/** Cases of a broadcasting binary op: equal shapes, then b broadcast along the rows. */
function binaryCases(name: string, fn: (a: Tensor, b: Tensor) => Tensor, makeB: (r: Rng, shape: number[]) => Tensor): OpCase[] {
  return [
    opCase(name, ['a', 'b'], (r, s) => [normal(r, xShape(s)), makeB(r, xShape(s))], fn as GradcheckFn),
    opCase(`${name}/broadcast`, ['a', 'b'], (r, s) => [normal(r, xShape(s)), makeB(r, [s.dModel])], fn as GradcheckFn),
  ];
}

function unaryCase(name: string, fn: (x: Tensor) => Tensor, make: (r: Rng, shape: number[]) => Tensor = normal): OpCase {
  return opCase(name, ['x'], (r, s) => [make(r, xShape(s))], fn as GradcheckFn);
}

const batchOr2 = (s: Sizes): number => s.batch ?? 2;

/**
 * Every op exported by @attograd/ops, keyed by its exported name, with one or more cases.
 * `attograd check add` runs every case of `add`.
 *
 * @example
 * const [plain] = catalogue.softmax;
 * const inputs = plain.inputs({ batch: undefined, seq: 4, dModel: 8, heads: 2 }, 0);
 * gradcheck(plain.fn, inputs);
 */
export const catalogue: Readonly<Record<string, readonly OpCase[]>> = {
  add: binaryCases('add', add, normal),
  sub: [
    opCase('sub', ['a', 'b'], (r, s) => [normal(r, xShape(s)), normal(r, xShape(s))], sub as GradcheckFn),
    opCase('sub/broadcast', ['a', 'b'], (r, s) => [normal(r, [s.seq, 1]), normal(r, xShape(s))], sub as GradcheckFn),
  ],
  mul: binaryCases('mul', mul, normal),
  div: binaryCases('div', div, positive),
  neg: [unaryCase('neg', neg)],
  exp: [unaryCase('exp', exp, (r, shape) => normal(r, shape, 0.5))],
  log: [unaryCase('log', log, positive)],
  sqrt: [unaryCase('sqrt', sqrt, positive)],
  scale: [unaryCase('scale', (x) => scale(x, 1.7))],
  matmul: [
    opCase('matmul', ['a', 'b'], (r, s) => [normal(r, [s.seq, s.dModel]), normal(r, [s.dModel, s.seq])], matmul as GradcheckFn),
    opCase(
      'matmul/broadcast',
      ['a', 'b'],
      (r, s) => [normal(r, [batchOr2(s), s.seq, s.dModel]), normal(r, [s.dModel, s.seq])],
      matmul as GradcheckFn,
    ),
  ],
  matmulTransposed: [
    opCase('matmulTransposed', ['a', 'b'], (r, s) => [normal(r, xShape(s)), normal(r, xShape(s))], ((a: Tensor, b: Tensor) =>
      matmulTransposed(a, b, false, true)) as GradcheckFn),
    opCase('matmulTransposed/transposeA', ['a', 'b'], (r, s) => [normal(r, [s.dModel, s.seq]), normal(r, [s.dModel, s.seq])], ((
      a: Tensor,
      b: Tensor,
    ) => matmulTransposed(a, b, true, false)) as GradcheckFn),
  ],
  transpose: [unaryCase('transpose', (x) => transpose(x))],
  permute: [opCase('permute', ['x'], (r, s) => [normal(r, [batchOr2(s), s.seq, s.dModel])], ((x: Tensor) => permute(x, [2, 0, 1])) as GradcheckFn)],
  reshape: [unaryCase('reshape', (x) => reshape(x, [x.shape[x.rank - 1], -1]))],
  concat: [
    opCase('concat', ['a', 'b'], (r, s) => [normal(r, xShape(s)), normal(r, [...xShape(s).slice(0, -1), 2])], ((a: Tensor, b: Tensor) =>
      concat([a, b], -1)) as GradcheckFn),
  ],
  slice: [unaryCase('slice', (x) => slice(x, -2, 1))],
  stack: [opCase('stack', ['q', 'k', 'v'], (r, s) => [normal(r, xShape(s)), normal(r, xShape(s)), normal(r, xShape(s))], ((...qkv: Tensor[]) => stack(qkv)) as GradcheckFn)],
  sum: [unaryCase('sum', (x) => sum(x, -1)), unaryCase('sum/all', (x) => sum(x))],
  mean: [unaryCase('mean', (x) => mean(x, -2, true))],
  max: [unaryCase('max', (x) => max(x, -1), distinct)],
  softmax: [unaryCase('softmax', (x) => softmax(x, -1), (r, shape) => normal(r, shape, 2))],
  where: [
    opCase(
      'where/broadcast',
      ['condition', 'a', 'b'],
      (r, s) => [binary(r, [s.seq, s.dModel]), normal(r, xShape(s)), normal(r, [s.dModel])],
      where as GradcheckFn,
    ),
  ],
  maskedFill: [
    opCase('maskedFill', ['x', 'mask'], (r, s) => [normal(r, xShape(s)), binary(r, [s.seq, s.dModel])], ((x: Tensor, mask: Tensor) =>
      maskedFill(x, mask, -2)) as GradcheckFn),
  ],
  layerNorm: [
    opCase('layerNorm', ['x', 'gamma', 'beta'], (r, s) => [normal(r, xShape(s)), affineGamma(r, s.dModel), normal(r, [s.dModel], 0.1)], ((
      x: Tensor,
      gamma: Tensor,
      beta: Tensor,
    ) => layerNorm(x, gamma, beta)) as GradcheckFn),
    unaryCase('layerNorm/plain', (x) => layerNorm(x)),
  ],
};

/** γ ≈ 1 with some spread, so no element of its gradient is special. */
function affineGamma(random: Rng, d: number): Tensor {
  const gamma = normal(random, [d], 0.2);
  for (let i = 0; i < d; i++) gamma.data[i] += 1;
  return gamma;
}

/**
 * Every case, in catalogue order.
 *
 * @example
 * opCases().map((c) => c.name) // ['add', 'add/broadcast', 'sub', …]
 */
export function opCases(): OpCase[] {
  return Object.values(catalogue).flat();
}
