/**
 * Walks every function exported by @attograd/ops and requires a gradient check for it: an op
 * added without an entry in `checks` fails this suite, naming the op. Each entry runs gradcheck in
 * full mode on seeded float64 inputs; each op must also carry its derivation, with one backward
 * formula per differentiable input.
 */
import { Tensor, tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { expectGradcheck } from './check';
import { distinct, normal, uniform } from './helpers';

interface GradcheckCase {
  /** The differentiable inputs, named as in the op's derivation. */
  inputs: readonly string[];
  /** Seeded inputs, all requiring gradients. */
  make: (seed: number) => Tensor[];
  fn: (...inputs: Tensor[]) => Tensor;
  /** The derivation that documents the op, when it is another op's (matmulTransposed: matmul). */
  derivation?: string;
}

/** A constant seeded 0/1 mask (no gradient). */
const mask = (shape: number[], seed: number) =>
  tensor(Float64Array.from(uniform(shape, seed, 0, 1, false).data, (u) => (u < 0.5 ? 1 : 0)), { shape });

const checks: Record<string, GradcheckCase> = {
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
};

const exported = Object.entries(ops)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();

describe('every exported op', () => {
  it('is found: the walk sees the ops the issue lists', () => {
    expect(exported).toEqual(expect.arrayContaining(['add', 'matmul', 'softmax', 'layerNorm', 'maskedFill', 'matmulTransposed']));
    expect(exported.length).toBeGreaterThanOrEqual(21);
  });

  it('has a gradient check: an export without an entry fails, naming it', () => {
    const missing = exported.filter((name) => !(name in checks));
    expect(missing, `exported by @attograd/ops without a gradcheck entry in test/every-op.test.ts: ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(checks).filter((name) => !exported.includes(name));
    expect(stale, `gradcheck entries for names @attograd/ops does not export: ${stale.join(', ')}`).toEqual([]);
  });

  describe.each(exported)('%s', (name) => {
    it.each([1, 2])('passes gradcheck (full mode, float64, seed %d) with no vacuous input', (seed) => {
      const entry = checks[name];
      expect(entry, `no gradcheck entry for '${name}'`).toBeDefined();
      const inputs = entry.make(seed * 1000);
      expect(inputs.every((input) => input.dtype === 'float64' && input.requiresGrad)).toBe(true);
      const report = expectGradcheck(entry.fn, inputs);
      expect(report.inputs.map((input) => input.index)).toEqual(inputs.map((_, i) => i));
    });

    it('has a derivation with a non-empty backward formula for each differentiable input', () => {
      const entry = checks[name];
      expect(entry, `no gradcheck entry for '${name}'`).toBeDefined();
      const key = entry.derivation ?? name;
      const derivation = ops.derivations[key];
      expect(derivation, `no derivations['${key}'] for '${name}'`).toBeDefined();
      expect(derivation.op).toBe(key);
      expect(derivation.definition.trim()).not.toBe('');
      expect(['linear', 'bilinear', 'nonlinear', 'composite']).toContain(derivation.kind);
      expect(Object.keys(derivation.backward).sort()).toEqual([...entry.inputs].sort());
      for (const input of entry.inputs) expect(derivation.backward[input].trim(), `${key}: backward of ${input}`).not.toBe('');
      expect(derivation.steps.length).toBeGreaterThan(0);
      expect(derivation.saves.trim()).not.toBe('');
    });
  });

  it('every derivation belongs to an exported op', () => {
    for (const key of Object.keys(ops.derivations)) expect(exported, `derivations['${key}']`).toContain(key);
  });
});
