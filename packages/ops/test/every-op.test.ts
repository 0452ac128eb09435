/**
 * Walks every function exported by @attograd/ops and requires a row in the one table of op cases
 * (`opCases` in src/cases.ts, which `attograd check all` and the fuzz suite walk too): an op
 * added without a row fails this suite, naming the op. Each case runs gradcheck in full mode on
 * seeded float64 inputs; each op must also carry its derivation, with one backward formula per
 * differentiable input.
 */
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { CASE_SIZES, constantOps, opCases } from '../src/index';
import { expectGradcheck } from './check';

const exported = Object.entries(ops)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();
const cases = Object.values(opCases).flat();

describe('every exported op', () => {
  it('is found: the walk sees the ops the issue lists', () => {
    expect(exported).toEqual(expect.arrayContaining(['add', 'matmul', 'softmax', 'layerNorm', 'maskedFill', 'matmulTransposed']));
    expect(exported.length).toBeGreaterThanOrEqual(21);
  });

  it('has a gradient check: an export without a row in src/cases.ts fails, naming it', () => {
    const missing = exported.filter((name) => !(name in opCases) && !(name in constantOps));
    expect(missing, `exported by @attograd/ops without a row in opCases (src/cases.ts): ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(opCases).filter((name) => !exported.includes(name));
    expect(stale, `opCases rows for names @attograd/ops does not export: ${stale.join(', ')}`).toEqual([]);
    for (const [op, list] of Object.entries(opCases)) {
      expect(list.length, op).toBeGreaterThan(0);
      for (const c of list) expect(c.op, c.name).toBe(op);
    }
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  // Every case, including a second mode of one op (gelu's tanh form), by case name.
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, entry) => {
    it.each([1, 2])('passes gradcheck (full mode, float64, seed %d) with no vacuous input', (seed) => {
      const inputs = entry.inputs(CASE_SIZES, seed * 1000);
      const differentiable = inputs.flatMap((input, i) => (input.requiresGrad ? [i] : []));
      expect(differentiable.length).toBeGreaterThan(0);
      expect(inputs.every((input) => input.dtype === 'float64')).toBe(true);
      const report = expectGradcheck(entry.fn, inputs);
      expect(report.inputs.map((input) => input.index)).toEqual(differentiable);
    });

    it('has a derivation with a non-empty backward formula for each differentiable input', () => {
      const key = entry.derivation ?? entry.op;
      const derivation = ops.derivations[key];
      expect(derivation, `no derivations['${key}'] for '${entry.name}'`).toBeDefined();
      expect(derivation.op).toBe(key);
      expect(derivation.definition.trim()).not.toBe('');
      expect(['linear', 'bilinear', 'nonlinear', 'composite']).toContain(derivation.kind);
      // A case for one mode of an op (pow with a number exponent) checks a subset of its inputs;
      // together, the cases of an op check every input its derivation names (below).
      expect(Object.keys(derivation.backward)).toEqual(expect.arrayContaining([...entry.differentiable]));
      for (const input of entry.differentiable) expect(derivation.backward[input].trim(), `${key}: backward of ${input}`).not.toBe('');
      expect(derivation.steps.length).toBeGreaterThan(0);
      expect(derivation.saves.trim()).not.toBe('');
      // Korean prose for every English line: one step per step, one note per note (issue 16)
      const hangul = /[\uac00-\ud7a3]/;
      expect(derivation.ko, `${key}: Korean text`).toBeDefined();
      for (const text of [derivation.ko.definition, derivation.ko.saves]) expect(text.trim()).not.toBe('');
      expect(derivation.ko.definition, `${key}: Korean definition`).toMatch(hangul);
      expect(derivation.ko.steps.length, `${key}: one Korean step per step`).toBe(derivation.steps.length);
      // a step is Korean prose, or a pure formula shared with the English step (no word of 3+ letters
      // but the symbols rstd, var, max and function names written with their parenthesis)
      derivation.ko.steps.forEach((step, i) => {
        if (step === derivation.steps[i])
          expect(step, `${key}: step ${i + 1} is a formula`).not.toMatch(/\b(?!rstd\b|var\b|max\b)[a-z]{3,}\b(?![²³]?\()/);
        else expect(step, `${key}: Korean step ${i + 1}`).toMatch(hangul);
      });
      expect(derivation.ko.notes?.length ?? 0, `${key}: one Korean note per note`).toBe(derivation.notes?.length ?? 0);
      for (const note of derivation.ko.notes ?? []) expect(note).toMatch(hangul);
      // the backward formulas are shared by every language: formulas only, no English words
      for (const formula of Object.values(derivation.backward))
        expect(formula, `${key}: ${formula}`).not.toMatch(/\b(of|to|at|the|and|elsewhere|shape of)\b/);
    });
  });

  it.each(Object.keys(opCases).sort())('%s: its cases check every input its derivation has a backward formula for', (op) => {
    const byDerivation = new Map<string, Set<string>>();
    for (const c of opCases[op]) {
      const key = c.derivation ?? c.op;
      byDerivation.set(key, new Set([...(byDerivation.get(key) ?? []), ...c.differentiable]));
    }
    for (const [key, inputs] of byDerivation) expect([...inputs].sort(), key).toEqual(Object.keys(ops.derivations[key].backward).sort());
  });

  it.each(Object.keys(constantOps).sort())(
    '%s returns a constant: no gradFn, no requiresGrad, even from inputs that require gradients',
    (name) => {
      expect(exported).toContain(name);
      expect(name in opCases, `${name} is listed both as a constant and with a gradcheck row`).toBe(false);
      const result = constantOps[name]();
      expect(result.gradFn).toBeNull();
      expect(result.requiresGrad).toBe(false);
    },
  );

  it('every derivation belongs to an exported op', () => {
    for (const key of Object.keys(ops.derivations)) expect(exported, `derivations['${key}']`).toContain(key);
  });
});
