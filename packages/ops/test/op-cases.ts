/**
 * One seeded gradient-check case per function exported by @attograd/ops. The every-op suite
 * requires an entry for each export; the second-order suite reuses the same cases.
 */
import { rng, Tensor, tensor } from '@attograd/tensor';
import * as ops from '../src/index';
import { distinct, normal, uniform } from './helpers';

export interface GradcheckCase {
  /** The differentiable inputs, named as in the op's derivation. */
  inputs: readonly string[];
  /** Seeded inputs, all requiring gradients. */
  make: (seed: number) => Tensor[];
  fn: (...inputs: Tensor[]) => Tensor;
  /** The derivation that documents the op, when it is another op's (matmulTransposed: matmul). */
  derivation?: string;
  /** The exported function this row checks, when the row's key is not its name (a second mode of one op). */
  export?: string;
}

/** Seeded values with |v| ≥ 0.25 (normal values pushed away from 0): no kink of relu or abs within a finite-difference step. */
const awayFromZero = (shape: number[], seed: number) =>
  tensor(Float64Array.from(normal(shape, seed, false).data, (v) => Math.sign(v) * (0.25 + Math.abs(v))), { shape, requiresGrad: true });

/** x with every value moved at least 0.05 away from each of `kinks` (clamp's bounds), as a leaf requiring gradients. */
const awayFrom = (x: Tensor, kinks: number[]) =>
  tensor(Float64Array.from(x.data, (v) => kinks.reduce((w, k) => (Math.abs(w - k) < 0.05 ? k + 0.05 * Math.sign(w - k || 1) : w), v)), { shape: [...x.shape], requiresGrad: true });

/** a and b (b broadcast along a's leading axis) with no pair closer than 0.05: minimum/maximum have no tie within a step. */
const apart = (a: Tensor, b: Tensor): Tensor[] => {
  const moved = Float64Array.from(a.data, (v, i) => {
    const w = b.data[i % b.size];
    return Math.abs(v - w) < 0.05 ? w + 0.05 * Math.sign(v - w || 1) : v;
  });
  return [tensor(moved, { shape: [...a.shape], requiresGrad: true }), tensor(b.data, { shape: [...b.shape], requiresGrad: true })];
};

/** A seeded tensor times `factor`, still a leaf that requires gradients. */
const scaled = (x: Tensor, factor: number) => tensor(Float64Array.from(x.data, (v) => v * factor), { shape: [...x.shape], requiresGrad: true });

/** A constant seeded 0/1 mask (no gradient). */
const mask = (shape: number[], seed: number) =>
  tensor(Float64Array.from(uniform(shape, seed, 0, 1, false).data, (u) => (u < 0.5 ? 1 : 0)), { shape });

export const checks: Record<string, GradcheckCase> = {
  add: { inputs: ['a', 'b'], make: (s) => [normal([2, 3, 4], s), normal([3, 1], s + 1)], fn: (a, b) => ops.add(a, b) },
  sub: { inputs: ['a', 'b'], make: (s) => [normal([3, 1], s), normal([2, 3, 4], s + 1)], fn: (a, b) => ops.sub(a, b) },
  mul: { inputs: ['a', 'b'], make: (s) => [normal([2, 3, 4], s), normal([4], s + 1)], fn: (a, b) => ops.mul(a, b) },
  div: { inputs: ['a', 'b'], make: (s) => [normal([2, 3], s), uniform([3], s + 1, 0.5, 2)], fn: (a, b) => ops.div(a, b) },
  neg: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.neg(x) },
  exp: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.exp(x) },
  log: { inputs: ['x'], make: (s) => [uniform([2, 3], s, 0.5, 3)], fn: (x) => ops.log(x) },
  sqrt: { inputs: ['x'], make: (s) => [uniform([2, 3], s, 0.5, 3)], fn: (x) => ops.sqrt(x) },
  scale: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.scale(x, -0.37) },
  matmul: { inputs: ['a', 'b'], make: (s) => [normal([2, 1, 3, 4], s), normal([3, 4, 2], s + 1)], fn: (a, b) => ops.matmul(a, b) },
  matmulTransposed: {
    inputs: ['a', 'b'],
    derivation: 'matmul',
    make: (s) => [normal([2, 4, 3], s), normal([5, 4], s + 1)],
    fn: (a, b) => ops.matmulTransposed(a, b, true, true),
  },
  transpose: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.transpose(x, 0, -1) },
  permute: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.permute(x, [1, 2, 0]) },
  reshape: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.reshape(x, [4, -1]) },
  sum: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.sum(x, [0, 2], true) },
  mean: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.mean(x, 1) },
  max: { inputs: ['x'], make: (s) => [distinct([2, 3, 4], s)], fn: (x) => ops.max(x, -1) },
  softmax: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.softmax(x, 1) },
  where: {
    inputs: ['a', 'b'],
    make: (s) => [normal([3, 4], s), normal([4], s + 1)],
    fn: (a, b) => ops.where(mask([3, 1], 99), a, b),
  },
  maskedFill: { inputs: ['x'], make: (s) => [normal([3, 4], s)], fn: (x) => ops.maskedFill(x, mask([4], 98), -1e4) },
  concat: {
    inputs: ['tensors'],
    make: (s) => [normal([2, 3], s), normal([1, 3], s + 1), normal([4, 3], s + 2)],
    fn: (...tensors) => ops.concat(tensors, 0),
  },
  slice: { inputs: ['x'], make: (s) => [normal([3, 5], s)], fn: (x) => ops.slice(x, -1, 1, 4) },
  stack: {
    inputs: ['tensors'],
    make: (s) => [normal([2, 3], s), normal([2, 3], s + 1), normal([2, 3], s + 2)],
    fn: (...tensors) => ops.stack(tensors, 1),
  },
  layerNorm: {
    inputs: ['x', 'gamma', 'beta'],
    make: (s) => [normal([2, 3, 5], s), uniform([5], s + 1, 0.5, 1.5), normal([5], s + 2)],
    fn: (x, gamma, beta) => ops.layerNorm(x, gamma, beta),
  },
  relu: { inputs: ['x'], make: (s) => [awayFromZero([3, 4], s)], fn: (x) => ops.relu(x) },
  erf: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.erf(x) },
  gelu: { inputs: ['x'], make: (s) => [scaled(normal([3, 4], s), 2)], fn: (x) => ops.gelu(x) },
  geluTanh: { inputs: ['x'], derivation: 'gelu', export: 'gelu', make: (s) => [scaled(normal([3, 4], s), 2)], fn: (x) => ops.gelu(x, { approximate: 'tanh' }) },
  tanh: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.tanh(x) },
  sigmoid: { inputs: ['x'], make: (s) => [scaled(normal([2, 3], s), 3)], fn: (x) => ops.sigmoid(x) },
  softplus: { inputs: ['x'], make: (s) => [scaled(normal([2, 3], s), 3)], fn: (x) => ops.softplus(x, { beta: 1.5 }) },
  pow: { inputs: ['a', 'b'], make: (s) => [uniform([2, 3], s, 0.5, 2), normal([3], s + 1)], fn: (a, b) => ops.pow(a, b) },
  powScalar: { inputs: ['a'], derivation: 'pow', export: 'pow', make: (s) => [uniform([2, 3], s, 0.5, 2)], fn: (a) => ops.pow(a, 2.5) },
  square: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.square(x) },
  abs: { inputs: ['x'], make: (s) => [awayFromZero([3, 4], s)], fn: (x) => ops.abs(x) },
  clamp: { inputs: ['x'], make: (s) => [awayFrom(normal([3, 4], s, false), [-0.5, 0.8])], fn: (x) => ops.clamp(x, -0.5, 0.8) },
  minimum: { inputs: ['a', 'b'], make: (s) => apart(normal([3, 4], s, false), normal([4], s + 1, false)), fn: (a, b) => ops.minimum(a, b) },
  maximum: { inputs: ['a', 'b'], make: (s) => apart(normal([3, 4], s, false), normal([4], s + 1, false)), fn: (a, b) => ops.maximum(a, b) },
  logsumexp: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.logsumexp(x, [0, 2]) },
  logSoftmax: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.logSoftmax(x, 1) },
  crossEntropy: {
    inputs: ['logits'],
    make: (s) => [normal([2, 3, 5], s)],
    fn: (x) => ops.crossEntropy(x, tensor([[0, 4, 2], [3, -1, 1]], { dtype: 'int32' }), { ignoreIndex: -1, labelSmoothing: 0.1 }),
  },
  nllLoss: { inputs: ['logProbs'], make: (s) => [normal([4, 3], s)], fn: (x) => ops.nllLoss(x, tensor([2, 0, 1, 1], { dtype: 'int32' })) },
  mseLoss: { inputs: ['input', 'target'], make: (s) => [normal([2, 3], s), normal([2, 3], s + 1)], fn: (x, t) => ops.mseLoss(x, t) },
  gather: {
    inputs: ['x'],
    make: (s) => [normal([3, 4], s)],
    fn: (x) => ops.gather(x, 1, tensor([[0, 0, 3], [2, 1, 2], [3, 3, 3]], { dtype: 'int32' })),
  },
  indexSelect: { inputs: ['x'], make: (s) => [normal([2, 4, 3], s)], fn: (x) => ops.indexSelect(x, 1, tensor([3, 0, 3, 1, 3], { dtype: 'int32' })) },
  embedding: { inputs: ['table'], make: (s) => [normal([5, 3], s)], fn: (w) => ops.embedding(w, tensor([[4, 1, 4], [0, 4, 2]], { dtype: 'int32' })) },
  tril: { inputs: ['x'], make: (s) => [normal([2, 3, 4], s)], fn: (x) => ops.tril(x, 1) },
  triu: { inputs: ['x'], derivation: 'tril', make: (s) => [normal([2, 4, 3], s)], fn: (x) => ops.triu(x, -1) },
  squeeze: { inputs: ['x'], make: (s) => [normal([2, 1, 3, 1], s)], fn: (x) => ops.squeeze(x) },
  unsqueeze: { inputs: ['x'], make: (s) => [normal([2, 3], s)], fn: (x) => ops.unsqueeze(x, -2) },
  expand: { inputs: ['x'], make: (s) => [normal([3, 1], s)], fn: (x) => ops.expand(x, [2, -1, 4]) },
  variance: { inputs: ['x'], make: (s) => [normal([3, 4, 2], s)], fn: (x) => ops.variance(x, [0, 2], { correction: 1 }) },
  var: { inputs: ['x'], derivation: 'variance', make: (s) => [normal([5], s)], fn: (x) => ops.var(x) },
  std: { inputs: ['x'], make: (s) => [normal([3, 4], s)], fn: (x) => ops.std(x, 1, { correction: 0, keepdims: true }) },
  dropout: { inputs: ['x'], make: (s) => [normal([4, 5], s)], fn: (x) => ops.dropout(x, 0.3, { rng: rng(5) }) },
};

/**
 * The exports that return constants (indices, masks, ranges): no gradient flows through them, so
 * they have no gradcheck row. Each call gets inputs that require gradients where it takes a float
 * tensor; the every-op suite asserts that the result is a constant (no gradFn, no requiresGrad).
 */
export const constants: Record<string, () => Tensor> = {
  oneHot: () => ops.oneHot(tensor([2, 0], { dtype: 'int32' }), 3),
  argmax: () => ops.argmax(normal([2, 3], 1), 1),
  argmin: () => ops.argmin(normal([2, 3], 1)),
  eq: () => ops.eq(normal([2, 3], 1), normal([3], 2)),
  ne: () => ops.ne(normal([2, 3], 1), 0),
  gt: () => ops.gt(0, normal([2, 3], 1)),
  ge: () => ops.ge(normal([2, 3], 1), normal([2, 1], 2)),
  lt: () => ops.lt(normal([2, 3], 1), 0.5),
  le: () => ops.le(normal([3], 1), normal([3], 1)),
  arange: () => ops.arange(5),
};
