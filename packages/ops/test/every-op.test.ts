/**
 * Walks every function exported by @attograd/ops and requires a gradient check for it: an op
 * added without an entry in `checks` fails this suite, naming the op. Each entry runs gradcheck in
 * full mode on seeded float64 inputs; each op must also carry its derivation, with one backward
 * formula per differentiable input.
 */
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { expectGradcheck } from './check';
import { checks, constants } from './op-cases';

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
    const missing = exported.filter((name) => !(name in checks) && !(name in constants));
    expect(missing, `exported by @attograd/ops without a gradcheck entry in test/every-op.test.ts: ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(checks).filter((name) => !exported.includes(checks[name].export ?? name));
    expect(stale, `gradcheck entries for names @attograd/ops does not export: ${stale.join(', ')}`).toEqual([]);
  });

  // Every row, including a second mode of one op (gelu's tanh form), by row name.
  describe.each(Object.keys(checks).sort())('%s', (name) => {
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
      // A row for one mode of an op (pow with a number exponent) checks a subset of its inputs.
      if (entry.export === undefined) expect(Object.keys(derivation.backward).sort()).toEqual([...entry.inputs].sort());
      else expect(Object.keys(derivation.backward)).toEqual(expect.arrayContaining([...entry.inputs]));
      for (const input of entry.inputs) expect(derivation.backward[input].trim(), `${key}: backward of ${input}`).not.toBe('');
      expect(derivation.steps.length).toBeGreaterThan(0);
      expect(derivation.saves.trim()).not.toBe('');
    });
  });

  it.each(Object.keys(constants).sort())('%s returns a constant: no gradFn, no requiresGrad, even from inputs that require gradients', (name) => {
    expect(exported).toContain(name);
    expect(name in checks, `${name} is listed both as a constant and with a gradcheck row`).toBe(false);
    const result = constants[name]();
    expect(result.gradFn).toBeNull();
    expect(result.requiresGrad).toBe(false);
  });

  it('every derivation belongs to an exported op', () => {
    for (const key of Object.keys(ops.derivations)) expect(exported, `derivations['${key}']`).toContain(key);
  });
});
