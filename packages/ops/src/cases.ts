import { rng, sizeOf, Tensor, tensor, type Rng } from '@attograd/tensor';
import { abs } from './abs';
import { add } from './add';
import { arange } from './arange';
import { argmax, argmin } from './argmax';
import { clamp } from './clamp';
import { eq, ge, gt, le, lt, ne } from './comparison-masks';
import { concat } from './concat';
import { crossEntropy } from './cross-entropy';
import { div } from './div';
import { dropout } from './dropout';
import { embedding } from './embedding';
import { erf } from './erf';
import { exp } from './exp';
import { expand } from './expand';
import { gather } from './gather';
import { gelu } from './gelu';
import { indexSelect } from './index-select';
import { layerNorm } from './layer-norm';
import { log } from './log';
import { logSoftmax } from './log-softmax';
import { logsumexp } from './logsumexp';
import { maskedFill } from './masked-fill';
import { matmul, matmulTransposed } from './matmul';
import { max } from './max';
import { maximum } from './maximum';
import { mean } from './mean';
import { minimum } from './minimum';
import { mseLoss } from './mse-loss';
import { mul } from './mul';
import { neg } from './neg';
import { nllLoss } from './nll-loss';
import { oneHot } from './one-hot';
import { permute } from './permute';
import { pow } from './pow';
import { relu } from './relu';
import { reshape } from './reshape';
import { scale } from './scale';
import { sigmoid } from './sigmoid';
import { slice } from './slice';
import { softmax } from './softmax';
import { softplus } from './softplus';
import { sqrt } from './sqrt';
import { square } from './square';
import { squeeze, unsqueeze } from './squeeze';
import { stack } from './stack';
import { sub } from './sub';
import { sum } from './sum';
import { tanh } from './tanh';
import { transpose } from './transpose';
import { tril, triu } from './tril';
import { std, variance } from './variance';
import { where } from './where';

/**
 * The one table of op cases (PyTorch's OpInfo idea): for every function @attograd/ops exports,
 * seeded sample inputs — ordinary shapes, broadcasting and edge shapes —, the domain the random
 * values are drawn from, which inputs are differentiable, and the non-smooth points the inputs
 * keep away from. The op tests, `attograd check all`, the fuzz suite and the docs all walk it.
 * Adding an op = its file, its export in index.ts, and its row here.
 */

/**
 * Problem sizes a case may follow: X = [batch?, T, d]. Cases with fixed edge shapes ignore them.
 *
 * @example
 * allOpCases()[0].inputs({ seq: 4, dModel: 8 }, 0)
 */
export interface CaseSizes {
  /** A leading batch axis; none when undefined. */
  batch?: number;
  /** T, the sequence length. */
  seq: number;
  /** d, the model width. */
  dModel: number;
}

/** The sizes the op tests use: small enough for second-order checks of every case. */
export const CASE_SIZES: CaseSizes = { seq: 3, dModel: 4 };

/**
 * One way of calling an op, with seeded inputs.
 *
 * @example
 * const [plain] = opCases.softmax;
 * gradcheck(plain.fn, plain.inputs(CASE_SIZES, 0));
 */
export interface OpCase {
  /** `op` or `op/variant`, e.g. `add/broadcast`; unique in the table. */
  name: string;
  /** The exported function it calls. */
  op: string;
  /** One display name per tensor input of `fn`. */
  inputNames: readonly string[];
  /** The differentiable inputs, named as in the derivation's `backward` (a variadic op's: `tensors`). */
  differentiable: readonly string[];
  /** The derivation that documents it, when not the op's own (matmulTransposed: `matmul`). */
  derivation?: string;
  /** Where the random values come from (and why there). */
  domain: string;
  /** Known non-smooth points the inputs are kept away from, if any. */
  nonSmooth?: string;
  /** Fresh seeded inputs: those with `requiresGrad` are differentiable, the others constants (masks, conditions). */
  inputs(sizes: CaseSizes, seed: number): Tensor[];
  /** The function under test, with its non-tensor arguments fixed. */
  fn: (...inputs: Tensor[]) => Tensor;
}

// ── Seeded draws ────────────────────────────────────────────────────────────────────────────

/** A tensor of `shape` with values drawn one by one; differentiable unless `requiresGrad` is false. */
function drawn(shape: readonly number[], draw: (i: number) => number, requiresGrad = true): Tensor {
  return new Tensor(
    Float64Array.from({ length: sizeOf(shape) }, (_, i) => draw(i)),
    shape,
    { requiresGrad },
  );
}

/** Standard normal values times `factor`. */
function normal(random: Rng, shape: readonly number[], factor = 1): Tensor {
  return drawn(shape, () => factor * random.normal());
}

/** Values uniform in [low, high). */
function uniform(random: Rng, shape: readonly number[], low: number, high: number): Tensor {
  return drawn(shape, () => low + (high - low) * random.uniform());
}

/** Values in [0.5, 2): positive and away from zero (log, sqrt, divisors, pow bases). */
function positive(random: Rng, shape: readonly number[]): Tensor {
  return uniform(random, shape, 0.5, 2);
}

/** A random permutation of evenly spaced values 0.1 apart: no ties, no near-ties (max). */
function distinct(random: Rng, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const t = drawn(shape, (i) => 0.1 * (i - n / 2));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [t.data[i], t.data[j]] = [t.data[j], t.data[i]];
  }
  return t;
}

/** Normal values pushed to |v| ≥ 0.25: no kink of relu or abs within a finite-difference step. */
function awayFromZero(random: Rng, shape: readonly number[]): Tensor {
  return drawn(shape, () => {
    const v = random.normal();
    return Math.sign(v || 1) * (0.25 + Math.abs(v));
  });
}

/** Normal values moved at least 0.05 away from each of `kinks` (clamp's bounds). */
function awayFrom(random: Rng, shape: readonly number[], kinks: readonly number[]): Tensor {
  return drawn(shape, () => kinks.reduce((w, k) => (Math.abs(w - k) < 0.05 ? k + 0.05 * Math.sign(w - k || 1) : w), random.normal()));
}

/** a and b (b broadcast along a's leading axes) with no pair closer than 0.05 (minimum/maximum have no tie). */
function apart(random: Rng, aShape: readonly number[], bShape: readonly number[]): Tensor[] {
  const a = normal(random, aShape);
  const b = normal(random, bShape);
  for (let i = 0; i < a.size; i++) {
    const w = b.data[i % b.size];
    if (Math.abs(a.data[i] - w) < 0.05) a.data[i] = w + 0.05 * Math.sign(a.data[i] - w || 1);
  }
  return [a, b];
}

/** A constant 0/1 tensor (no gradient) holding both values. */
function binary(random: Rng, shape: readonly number[]): Tensor {
  return drawn(shape, (i) => (i < 2 ? 1 - i : random.uniform() < 0.5 ? 1 : 0), false);
}

/** γ ≈ 1 with some spread, so no element of its gradient is special. */
function gammaLike(random: Rng, d: number): Tensor {
  return drawn([d], () => 1 + 0.2 * random.normal());
}

const int32 = (values: number[] | number[][]): Tensor => tensor(values, { dtype: 'int32' });

// ── Case builders ──────────────────────────────────────────────────────────────────────────

type Make = (random: Rng, sizes: CaseSizes) => Tensor[];

interface CaseSpec {
  inputNames: readonly string[];
  differentiable?: readonly string[];
  derivation?: string;
  domain?: string;
  nonSmooth?: string;
}

const NORMAL = 'standard normal';

function opCase(name: string, spec: CaseSpec, make: Make, fn: (...inputs: Tensor[]) => Tensor): OpCase {
  const entry: OpCase = {
    name,
    op: name.split('/')[0],
    inputNames: spec.inputNames,
    differentiable: spec.differentiable ?? spec.inputNames,
    domain: spec.domain ?? NORMAL,
    inputs: (sizes, seed) => make(rng(seed), sizes),
    fn,
  };
  if (spec.derivation !== undefined) entry.derivation = spec.derivation;
  if (spec.nonSmooth !== undefined) entry.nonSmooth = spec.nonSmooth;
  return entry;
}

/** The shape of X: [batch, T, d], or [T, d] without a batch. */
function xShape(sizes: CaseSizes): number[] {
  return sizes.batch === undefined ? [sizes.seq, sizes.dModel] : [sizes.batch, sizes.seq, sizes.dModel];
}

const batchOr2 = (s: CaseSizes): number => s.batch ?? 2;

/** A case of a unary op on X. */
function unary(
  name: string,
  fn: (x: Tensor) => Tensor,
  draw: (r: Rng, shape: number[]) => Tensor = normal,
  domain = NORMAL,
  nonSmooth?: string,
): OpCase {
  return opCase(name, { inputNames: ['x'], domain, nonSmooth }, (r, s) => [draw(r, xShape(s))], fn as (...inputs: Tensor[]) => Tensor);
}

/** A case with fixed (edge) shapes that ignore the sizes. */
function fixed(name: string, spec: CaseSpec, make: (r: Rng) => Tensor[], fn: (...inputs: Tensor[]) => Tensor): OpCase {
  return opCase(name, spec, (r) => make(r), fn);
}

/** Cases of a broadcasting binary op: equal shapes, b broadcast along the rows, and the edge shapes. */
function binaryCases(
  name: string,
  fn: (a: Tensor, b: Tensor) => Tensor,
  drawB: (r: Rng, shape: number[]) => Tensor,
  edge: [number[], number[]],
  domain = NORMAL,
): OpCase[] {
  const f = fn as (...inputs: Tensor[]) => Tensor;
  const spec = { inputNames: ['a', 'b'], domain };
  return [
    opCase(name, spec, (r, s) => [normal(r, xShape(s)), drawB(r, xShape(s))], f),
    opCase(`${name}/broadcast`, spec, (r, s) => [normal(r, xShape(s)), drawB(r, [s.dModel])], f),
    fixed(`${name}/edge`, spec, (r) => [normal(r, edge[0]), drawB(r, edge[1])], f),
  ];
}

// ── The table ──────────────────────────────────────────────────────────────────────────────

/**
 * Every differentiable function @attograd/ops exports, keyed by its exported name, with one or
 * more cases (`attograd check add` runs every case of `add`).
 *
 * @example
 * for (const c of opCases.add) gradcheck(c.fn, c.inputs(CASE_SIZES, 1));
 * const every = Object.values(opCases).flat(); // every case, in table order
 */
export const opCases: Readonly<Record<string, readonly OpCase[]>> = {
  add: binaryCases('add', add, normal, [
    [2, 3, 4],
    [3, 1],
  ]),
  sub: [
    opCase(
      'sub',
      { inputNames: ['a', 'b'] },
      (r, s) => [normal(r, xShape(s)), normal(r, xShape(s))],
      sub as (...inputs: Tensor[]) => Tensor,
    ),
    opCase(
      'sub/broadcast',
      { inputNames: ['a', 'b'] },
      (r, s) => [normal(r, [s.seq, 1]), normal(r, xShape(s))],
      sub as (...inputs: Tensor[]) => Tensor,
    ),
    fixed('sub/edge', { inputNames: ['a', 'b'] }, (r) => [normal(r, [3, 1]), normal(r, [2, 3, 4])], sub as (...inputs: Tensor[]) => Tensor),
  ],
  mul: binaryCases('mul', mul, normal, [[2, 3, 4], [4]]),
  div: binaryCases('div', div, positive, [[2, 3], [3]], 'a standard normal; b in [0.5, 2), away from the pole at 0'),
  neg: [unary('neg', neg)],
  exp: [unary('exp', exp, (r, shape) => normal(r, shape, 0.5), 'normal, σ = 0.5')],
  log: [unary('log', log, positive, '[0.5, 2): inside the domain, away from 0')],
  sqrt: [unary('sqrt', sqrt, positive, '[0.5, 2): away from the kink at 0')],
  scale: [
    unary('scale', (x) => scale(x, 1.7)),
    fixed(
      'scale/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3])],
      (x) => scale(x, -0.37),
    ),
  ],
  matmul: [
    opCase(
      'matmul',
      { inputNames: ['a', 'b'] },
      (r, s) => [normal(r, [s.seq, s.dModel]), normal(r, [s.dModel, s.seq])],
      matmul as (...inputs: Tensor[]) => Tensor,
    ),
    opCase(
      'matmul/broadcast',
      { inputNames: ['a', 'b'] },
      (r, s) => [normal(r, [batchOr2(s), s.seq, s.dModel]), normal(r, [s.dModel, s.seq])],
      matmul as (...inputs: Tensor[]) => Tensor,
    ),
    fixed(
      'matmul/edge',
      { inputNames: ['a', 'b'] },
      (r) => [normal(r, [2, 1, 3, 4]), normal(r, [3, 4, 2])],
      matmul as (...inputs: Tensor[]) => Tensor,
    ),
  ],
  matmulTransposed: [
    opCase(
      'matmulTransposed',
      { inputNames: ['a', 'b'], derivation: 'matmul' },
      (r, s) => [normal(r, xShape(s)), normal(r, xShape(s))],
      (a, b) => matmulTransposed(a, b, false, true),
    ),
    opCase(
      'matmulTransposed/transposeA',
      { inputNames: ['a', 'b'], derivation: 'matmul' },
      (r, s) => [normal(r, [s.dModel, s.seq]), normal(r, [s.dModel, s.seq])],
      (a, b) => matmulTransposed(a, b, true, false),
    ),
    fixed(
      'matmulTransposed/edge',
      { inputNames: ['a', 'b'], derivation: 'matmul' },
      (r) => [normal(r, [2, 4, 3]), normal(r, [5, 4])],
      (a, b) => matmulTransposed(a, b, true, true),
    ),
  ],
  transpose: [
    unary('transpose', (x) => transpose(x)),
    fixed(
      'transpose/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => transpose(x, 0, -1),
    ),
  ],
  permute: [
    opCase(
      'permute',
      { inputNames: ['x'] },
      (r, s) => [normal(r, [batchOr2(s), s.seq, s.dModel])],
      (x) => permute(x, [2, 0, 1]),
    ),
    fixed(
      'permute/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => permute(x, [1, 2, 0]),
    ),
  ],
  reshape: [
    unary('reshape', (x) => reshape(x, [x.shape[x.rank - 1], -1])),
    fixed(
      'reshape/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => reshape(x, [4, -1]),
    ),
  ],
  concat: [
    opCase(
      'concat',
      { inputNames: ['a', 'b'], differentiable: ['tensors'] },
      (r, s) => [normal(r, xShape(s)), normal(r, [...xShape(s).slice(0, -1), 2])],
      (a, b) => concat([a, b], -1),
    ),
    fixed(
      'concat/edge',
      { inputNames: ['a', 'b', 'c'], differentiable: ['tensors'] },
      (r) => [normal(r, [2, 3]), normal(r, [1, 3]), normal(r, [4, 3])],
      (...tensors) => concat(tensors, 0),
    ),
  ],
  slice: [
    unary('slice', (x) => slice(x, -2, 1)),
    fixed(
      'slice/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [3, 5])],
      (x) => slice(x, -1, 1, 4),
    ),
  ],
  stack: [
    opCase(
      'stack',
      { inputNames: ['q', 'k', 'v'], differentiable: ['tensors'] },
      (r, s) => [normal(r, xShape(s)), normal(r, xShape(s)), normal(r, xShape(s))],
      (...qkv) => stack(qkv),
    ),
    fixed(
      'stack/edge',
      { inputNames: ['a', 'b', 'c'], differentiable: ['tensors'] },
      (r) => [normal(r, [2, 3]), normal(r, [2, 3]), normal(r, [2, 3])],
      (...tensors) => stack(tensors, 1),
    ),
  ],
  sum: [
    unary('sum', (x) => sum(x, -1)),
    unary('sum/all', (x) => sum(x)),
    fixed(
      'sum/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => sum(x, [0, 2], true),
    ),
  ],
  mean: [
    unary('mean', (x) => mean(x, -2, true)),
    fixed(
      'mean/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => mean(x, 1),
    ),
  ],
  max: [
    unary('max', (x) => max(x, -1), distinct, 'distinct values 0.1 apart', 'ties (the gradient picks one element)'),
    fixed(
      'max/edge',
      { inputNames: ['x'], domain: 'distinct values 0.1 apart', nonSmooth: 'ties' },
      (r) => [distinct(r, [2, 3, 4])],
      (x) => max(x, -1),
    ),
  ],
  softmax: [
    unary(
      'softmax',
      (x) => softmax(x, -1),
      (r, shape) => normal(r, shape, 2),
      'normal, σ = 2',
    ),
    fixed(
      'softmax/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => softmax(x, 1),
    ),
  ],
  where: [
    opCase(
      'where/broadcast',
      { inputNames: ['condition', 'a', 'b'], differentiable: ['a', 'b'], domain: 'condition 0/1 (constant); a, b standard normal' },
      (r, s) => [binary(r, [s.seq, s.dModel]), normal(r, xShape(s)), normal(r, [s.dModel])],
      where as (...inputs: Tensor[]) => Tensor,
    ),
    fixed(
      'where/edge',
      { inputNames: ['a', 'b'] },
      (r) => [normal(r, [3, 4]), normal(r, [4])],
      (a, b) => where(binary(rng(99), [3, 1]), a, b),
    ),
  ],
  maskedFill: [
    opCase(
      'maskedFill',
      { inputNames: ['x', 'mask'], differentiable: ['x'], domain: 'x standard normal; mask 0/1 (constant)' },
      (r, s) => [normal(r, xShape(s)), binary(r, [s.seq, s.dModel])],
      (x, mask) => maskedFill(x, mask, -2),
    ),
    fixed(
      'maskedFill/edge',
      { inputNames: ['x'] },
      (r) => [normal(r, [3, 4])],
      (x) => maskedFill(x, binary(rng(98), [4]), -1e4),
    ),
  ],
  layerNorm: [
    opCase(
      'layerNorm',
      { inputNames: ['x', 'gamma', 'beta'], domain: 'x standard normal; γ ≈ 1 ± 0.2; β normal, σ = 0.1' },
      (r, s) => [normal(r, xShape(s)), gammaLike(r, s.dModel), normal(r, [s.dModel], 0.1)],
      (x, gamma, beta) => layerNorm(x, gamma, beta),
    ),
    unary('layerNorm/plain', (x) => layerNorm(x)),
    fixed(
      'layerNorm/edge',
      { inputNames: ['x', 'gamma', 'beta'], domain: 'x standard normal; γ in [0.5, 1.5); β standard normal' },
      (r) => [normal(r, [2, 3, 5]), uniform(r, [5], 0.5, 1.5), normal(r, [5])],
      (x, gamma, beta) => layerNorm(x, gamma, beta),
    ),
  ],
  relu: [
    fixed(
      'relu',
      { inputNames: ['x'], domain: '|x| ≥ 0.25', nonSmooth: 'x = 0' },
      (r) => [awayFromZero(r, [3, 4])],
      (x) => relu(x),
    ),
  ],
  erf: [
    fixed(
      'erf',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3])],
      (x) => erf(x),
    ),
  ],
  gelu: [
    fixed(
      'gelu',
      { inputNames: ['x'], domain: 'normal, σ = 2' },
      (r) => [normal(r, [3, 4], 2)],
      (x) => gelu(x),
    ),
    fixed(
      'gelu/tanh',
      { inputNames: ['x'], domain: 'normal, σ = 2' },
      (r) => [normal(r, [3, 4], 2)],
      (x) => gelu(x, { approximate: 'tanh' }),
    ),
  ],
  tanh: [
    fixed(
      'tanh',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3])],
      (x) => tanh(x),
    ),
  ],
  sigmoid: [
    fixed(
      'sigmoid',
      { inputNames: ['x'], domain: 'normal, σ = 3' },
      (r) => [normal(r, [2, 3], 3)],
      (x) => sigmoid(x),
    ),
  ],
  softplus: [
    fixed(
      'softplus',
      { inputNames: ['x'], domain: 'normal, σ = 3' },
      (r) => [normal(r, [2, 3], 3)],
      (x) => softplus(x, { beta: 1.5 }),
    ),
  ],
  pow: [
    fixed(
      'pow',
      { inputNames: ['a', 'b'], domain: 'a in [0.5, 2) (positive base); b standard normal' },
      (r) => [positive(r, [2, 3]), normal(r, [3])],
      (a, b) => pow(a, b),
    ),
    fixed(
      'pow/scalar',
      { inputNames: ['a'], domain: 'a in [0.5, 2)' },
      (r) => [positive(r, [2, 3])],
      (a) => pow(a, 2.5),
    ),
  ],
  square: [
    fixed(
      'square',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3])],
      (x) => square(x),
    ),
  ],
  abs: [
    fixed(
      'abs',
      { inputNames: ['x'], domain: '|x| ≥ 0.25', nonSmooth: 'x = 0' },
      (r) => [awayFromZero(r, [3, 4])],
      (x) => abs(x),
    ),
  ],
  clamp: [
    fixed(
      'clamp',
      { inputNames: ['x'], domain: 'normal, 0.05 away from the bounds', nonSmooth: 'x = min, x = max' },
      (r) => [awayFrom(r, [3, 4], [-0.5, 0.8])],
      (x) => clamp(x, -0.5, 0.8),
    ),
  ],
  minimum: [
    fixed(
      'minimum',
      { inputNames: ['a', 'b'], domain: 'normal, pairs 0.05 apart', nonSmooth: 'a = b' },
      (r) => apart(r, [3, 4], [4]),
      (a, b) => minimum(a, b),
    ),
  ],
  maximum: [
    fixed(
      'maximum',
      { inputNames: ['a', 'b'], domain: 'normal, pairs 0.05 apart', nonSmooth: 'a = b' },
      (r) => apart(r, [3, 4], [4]),
      (a, b) => maximum(a, b),
    ),
  ],
  logsumexp: [
    fixed(
      'logsumexp',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => logsumexp(x, [0, 2]),
    ),
  ],
  logSoftmax: [
    fixed(
      'logSoftmax',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => logSoftmax(x, 1),
    ),
  ],
  crossEntropy: [
    fixed(
      'crossEntropy',
      { inputNames: ['logits'] },
      (r) => [normal(r, [2, 3, 5])],
      (x) =>
        crossEntropy(
          x,
          int32([
            [0, 4, 2],
            [3, -1, 1],
          ]),
          { ignoreIndex: -1, labelSmoothing: 0.1 },
        ),
    ),
  ],
  nllLoss: [
    fixed(
      'nllLoss',
      { inputNames: ['logProbs'] },
      (r) => [normal(r, [4, 3])],
      (x) => nllLoss(x, int32([2, 0, 1, 1])),
    ),
  ],
  mseLoss: [
    fixed(
      'mseLoss',
      { inputNames: ['input', 'target'] },
      (r) => [normal(r, [2, 3]), normal(r, [2, 3])],
      (x, t) => mseLoss(x, t),
    ),
  ],
  gather: [
    fixed(
      'gather',
      { inputNames: ['x'] },
      (r) => [normal(r, [3, 4])],
      (x) =>
        gather(
          x,
          1,
          int32([
            [0, 0, 3],
            [2, 1, 2],
            [3, 3, 3],
          ]),
        ),
    ),
  ],
  indexSelect: [
    fixed(
      'indexSelect',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 4, 3])],
      (x) => indexSelect(x, 1, int32([3, 0, 3, 1, 3])),
    ),
  ],
  embedding: [
    fixed(
      'embedding',
      { inputNames: ['table'] },
      (r) => [normal(r, [5, 3])],
      (w) =>
        embedding(
          w,
          int32([
            [4, 1, 4],
            [0, 4, 2],
          ]),
        ),
    ),
  ],
  tril: [
    fixed(
      'tril',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3, 4])],
      (x) => tril(x, 1),
    ),
  ],
  triu: [
    fixed(
      'triu',
      { inputNames: ['x'], derivation: 'tril' },
      (r) => [normal(r, [2, 4, 3])],
      (x) => triu(x, -1),
    ),
  ],
  squeeze: [
    fixed(
      'squeeze',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 1, 3, 1])],
      (x) => squeeze(x),
    ),
  ],
  unsqueeze: [
    fixed(
      'unsqueeze',
      { inputNames: ['x'] },
      (r) => [normal(r, [2, 3])],
      (x) => unsqueeze(x, -2),
    ),
  ],
  expand: [
    fixed(
      'expand',
      { inputNames: ['x'] },
      (r) => [normal(r, [3, 1])],
      (x) => expand(x, [2, -1, 4]),
    ),
  ],
  variance: [
    fixed(
      'variance',
      { inputNames: ['x'] },
      (r) => [normal(r, [3, 4, 2])],
      (x) => variance(x, [0, 2], { correction: 1 }),
    ),
  ],
  var: [
    fixed(
      'var',
      { inputNames: ['x'], derivation: 'variance' },
      (r) => [normal(r, [5])],
      (x) => variance(x),
    ),
  ],
  std: [
    fixed(
      'std',
      { inputNames: ['x'] },
      (r) => [normal(r, [3, 4])],
      (x) => std(x, 1, { correction: 0, keepdims: true }),
    ),
  ],
  dropout: [
    fixed(
      'dropout',
      { inputNames: ['x'], domain: 'standard normal; the mask from rng(5), the same at every call' },
      (r) => [normal(r, [4, 5])],
      (x) => dropout(x, 0.3, { rng: rng(5) }),
    ),
  ],
};

/**
 * The exports that return constants (indices, masks, ranges): no gradient flows through them, so
 * they have no case above; each is called once on inputs that require gradients, and its result
 * must be a constant (no gradFn, no requiresGrad).
 *
 * @example
 * constantOps.argmax().requiresGrad // false
 */
export const constantOps: Readonly<Record<string, () => Tensor>> = {
  oneHot: () => oneHot(int32([2, 0]), 3),
  argmax: () => argmax(normal(rng(1), [2, 3]), 1),
  argmin: () => argmin(normal(rng(1), [2, 3])),
  eq: () => eq(normal(rng(1), [2, 3]), normal(rng(2), [3])),
  ne: () => ne(normal(rng(1), [2, 3]), 0),
  gt: () => gt(0, normal(rng(1), [2, 3])),
  ge: () => ge(normal(rng(1), [2, 3]), normal(rng(2), [2, 1])),
  lt: () => lt(normal(rng(1), [2, 3]), 0.5),
  le: () => le(normal(rng(1), [3]), normal(rng(1), [3])),
  arange: () => arange(5),
};
