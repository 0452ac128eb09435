import { gradcheck } from '@attograd/gradcheck';
import { noGrad } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { constantOps, opCases as catalogue, type CaseSizes } from '../src/index';

/**
 * The one table of op cases (src/cases.ts), as `attograd check all`, the op tests and the fuzz
 * suite use it: complete, seeded, and with inputs each op can be checked at, at any sizes.
 */

const exportedOps = Object.entries(ops)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name);
const opCases = () => Object.values(catalogue).flat();

const plain: CaseSizes = { seq: 3, dModel: 4 };
const batched: CaseSizes = { batch: 2, seq: 3, dModel: 5 };

describe('the op-case table', () => {
  it('covers every function @attograd/ops exports, and nothing else', () => {
    expect(exportedOps.length).toBeGreaterThan(15);
    expect([...Object.keys(catalogue), ...Object.keys(constantOps)].sort()).toEqual([...exportedOps].sort());
    for (const [op, cases] of Object.entries(catalogue)) {
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expect(c.op).toBe(op);
    }
  });

  it('has unique case names', () => {
    const names = opCases().map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([plain, batched])('gives seeded inputs: same seed, same values; another seed, other values (%j)', (sizes) => {
    for (const c of opCases()) {
      const first = c.inputs(sizes, 4).map((t) => Array.from(t.data));
      expect(c.inputs(sizes, 4).map((t) => Array.from(t.data))).toEqual(first);
      const differentlySeeded = c.inputs(sizes, 5).map((t) => Array.from(t.data));
      expect(differentlySeeded, c.name).not.toEqual(first);
      expect(c.inputNames.length, c.name).toBe(first.length);
    }
  });

  it.each([plain, batched])('every case passes gradcheck, and every checked input matters (%j)', (sizes) => {
    for (const c of opCases()) {
      const inputs = c.inputs(sizes, 1);
      expect(
        inputs.some((t) => t.requiresGrad),
        c.name,
      ).toBe(true);
      const report = gradcheck(c.fn, inputs);
      expect(report.ok, `${c.name}: ${report.warnings.join('; ')}`).toBe(true);
      expect(
        report.inputs.every((input) => !input.vacuous),
        c.name,
      ).toBe(true);
    }
  });

  it('has a broadcasting case for every op that broadcasts', () => {
    for (const op of ['add', 'sub', 'mul', 'div', 'matmul', 'where']) {
      const broadcasting = catalogue[op].filter((c) => {
        const inputs = c.inputs(plain, 0);
        const output = noGrad(() => c.fn(...inputs));
        return inputs.some((t) => t.requiresGrad && t.size < output.size && t.rank >= 1);
      });
      expect(broadcasting.length, op).toBeGreaterThan(0);
    }
  });

  it('gives log and sqrt positive inputs, div a divisor away from zero, max no near-ties', () => {
    for (const name of ['log', 'sqrt']) {
      for (const t of catalogue[name][0].inputs(batched, 2)) expect(Math.min(...t.data)).toBeGreaterThanOrEqual(0.5);
    }
    for (const c of catalogue.div) expect(Math.min(...c.inputs(batched, 2)[1].data)).toBeGreaterThanOrEqual(0.5);
    const values = [...catalogue.max[0].inputs(batched, 2)[0].data].sort((a, b) => a - b);
    const gaps = values.slice(1).map((v, i) => v - values[i]);
    expect(Math.min(...gaps)).toBeGreaterThan(0.05);
  });

  it('gives where and maskedFill 0/1 constants holding both values, without gradients', () => {
    const [condition] = catalogue.where[0].inputs(plain, 3);
    const [, mask] = catalogue.maskedFill[0].inputs(plain, 3);
    for (const constant of [condition, mask]) {
      expect(constant.requiresGrad).toBe(false);
      expect([...new Set(constant.data)].sort()).toEqual([0, 1]);
    }
  });
});
