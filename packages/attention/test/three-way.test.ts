import { difference as gradcheckDifference } from '@attograd/gradcheck';
import { describe, expect, it } from 'vitest';
import { matmulTransposed } from '@attograd/ops';
import { gradients, noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { numericalJacobian } from '@attograd/gradcheck';
import {
  compareThreeWays,
  composites,
  difference,
  numericalGradient,
  type InputSizes,
  type RegistryEntry,
  stageByKey,
  stages,
} from '../src/index';
import { maxAbs, randomMask } from './helpers';

/**
 * Hand-derived backward = autograd = central finite differences, for every stage and composite,
 * each gradient of the scalar ⟨f(x), c⟩ for a seeded random cotangent c.
 */
const entries: RegistryEntry[] = [...stages, ...composites];
const sizeList: InputSizes[] = [
  { seq: 3, dModel: 4, seed: 1 },
  { batch: 2, seq: 4, dModel: 6, heads: 2, seed: 2 },
  { batch: 2, seq: 5, dModel: 4, heads: 4, causal: true, seed: 3 },
  // (T = 1 with d = 4: at d = 2 a layer norm is nearly flat — N = ±1 up to ε — so its gradient is
  // O(ε) and finite differences lose relative accuracy; that says nothing about the formulas.)
  { seq: 1, dModel: 4, seed: 4 },
];

describe.each(sizeList)('three ways agree to 1e-8 relative, sizes %o', (sizes) => {
  it.each(entries.map((entry) => [entry.key, entry] as const))('%s', (_key, entry) => {
    const inputs = entry.makeInputs(sizes);
    const report = compareThreeWays(entry, inputs, { seed: 11 });
    expect(report.gradients.map((g) => g.name)).toEqual([...entry.inputNames]);
    for (const g of report.gradients) {
      expect(g.manual.shape, g.name).toEqual(inputs[g.name].shape);
      expect(g.autograd.shape, g.name).toEqual(inputs[g.name].shape);
      expect(g.manualVsAutograd.relative, `${g.name}: hand vs autograd`).toBeLessThan(1e-8);
      expect(g.manualVsNumeric.relative, `${g.name}: hand vs finite differences`).toBeLessThan(1e-8);
      expect(g.autogradVsNumeric.relative, `${g.name}: autograd vs finite differences`).toBeLessThan(1e-8);
    }
    expect(report.maxRelative).toBeLessThan(1e-8);
    // Not vacuous: with T > 1 every gradient is nonzero (with T = 1, W_q and W_k do not matter).
    if (sizes.seq > 1) for (const g of report.gradients) expect(maxAbs(g.autograd), g.name).toBeGreaterThan(1e-3);
  });
});

describe('three ways with an explicit mask', () => {
  it.each(entries.filter((e) => e.constantNames.includes('mask')).map((entry) => [entry.key, entry] as const))('%s', (_key, entry) => {
    const inputs = { ...entry.makeInputs({ batch: 2, seq: 4, dModel: 4, heads: 2, seed: 5 }), mask: randomMask(rng(5), [4, 4], false) };
    expect(compareThreeWays(entry, inputs, { seed: 12 }).maxRelative).toBeLessThan(1e-8);
  });
});

describe('the comparison can fail', () => {
  it('detects a hand-derived backward with a transposed matmul', () => {
    const weightedSum = stageByKey('weightedSum');
    // dV = P·dZ instead of Pᵀ·dZ: a classic transposition mistake.
    const broken: RegistryEntry = {
      ...weightedSum,
      manualBackward: (inputs, dZ) => ({
        ...weightedSum.manualBackward(inputs, dZ),
        v: noGrad(() => matmulTransposed(inputs.p, dZ, false, false)),
      }),
    };
    const report = compareThreeWays(broken, broken.makeInputs({ seq: 4, dModel: 4, seed: 6 }), { seed: 13 });
    const v = report.gradients.find((g) => g.name === 'v')!;
    expect(v.manualVsAutograd.relative).toBeGreaterThan(1e-2);
    expect(v.manualVsNumeric.relative).toBeGreaterThan(1e-2);
    expect(v.autogradVsNumeric.relative).toBeLessThan(1e-8);
    expect(report.maxRelative).toBeGreaterThan(1e-2);
  });

  it('reports NaN rather than hiding it', () => {
    const a = new Tensor(Float64Array.from([1, Number.NaN]), [2]);
    const b = new Tensor(Float64Array.from([1, 2]), [2]);
    expect(difference(a, b).maxAbs).toBeNaN();
  });

  it('measures with @attograd/gradcheck’s difference (one rule for NaN and ±∞ everywhere)', () => {
    expect(difference).toBe(gradcheckDifference);
  });
});

describe('finite differences', () => {
  it('numericalGradient equals gradcheck’s numerical Jacobian contracted with the cotangent', () => {
    const entry = composites[2];
    const inputs = entry.makeInputs({ seq: 3, dModel: 4, seed: 7 });
    const report = compareThreeWays(entry, inputs, { seed: 14 });
    const args = entry.inputNames.map((name) => inputs[name]);
    const jacobians = numericalJacobian(
      (...xs) => entry.run({ ...inputs, ...Object.fromEntries(entry.inputNames.map((n, i) => [n, xs[i]])) }),
      args,
    );
    jacobians.forEach((jacobian, i) => {
      // cᵀJ: row vector times [outputSize, inputSize].
      const [outputs, columns] = jacobian.shape;
      const contracted = new Float64Array(columns);
      for (let o = 0; o < outputs; o++)
        for (let c = 0; c < columns; c++) contracted[c] += report.cotangent.data[o] * jacobian.data[o * columns + c];
      expect(difference(new Tensor(contracted, args[i].shape), report.gradients[i].numeric).relative).toBeLessThan(1e-9);
    });
  });

  it('accepts another finite-difference routine through `numeric`', () => {
    const entry = stageByKey('softmax');
    let calls = 0;
    const report = compareThreeWays(entry, entry.makeInputs({ seq: 3, dModel: 4, seed: 8 }), {
      seed: 15,
      numeric: (run, at, name, c) => {
        calls += 1;
        return numericalGradient(run, at, name, c, { relativeStep: 1e-5 });
      },
    });
    expect(calls).toBe(1);
    expect(report.maxRelative).toBeLessThan(1e-8);
  });

  it('leaves the inputs unchanged', () => {
    const entry = composites[0];
    const inputs = entry.makeInputs({ seq: 3, dModel: 4, seed: 9 });
    const before = entry.inputNames.map((name) => Array.from(inputs[name].data));
    compareThreeWays(entry, inputs, { seed: 16 });
    entry.inputNames.forEach((name, i) => expect(Array.from(inputs[name].data)).toEqual(before[i]));
  });
});

describe('compareThreeWays with a given cotangent', () => {
  it('contracts every gradient with that cotangent instead of a random one', () => {
    const entry = stageByKey('softmax');
    const inputs = entry.makeInputs({ seq: 3, dModel: 4, seed: 5 });
    const dOut = randn([3, 3], { rng: rng(6) });
    const report = compareThreeWays(entry, inputs, { cotangent: dOut });
    expect(report.cotangent).toBe(dOut);
    const sHat = new Tensor(inputs.sHat.data, inputs.sHat.shape, { requiresGrad: true });
    const [expected] = gradients(entry.run({ ...inputs, sHat }), [sHat], { gradOutput: dOut });
    expect(Array.from(report.gradients[0].autograd.data)).toEqual(Array.from(expected.data));
    expect(report.maxRelative).toBeLessThan(1e-8);
  });
});

describe('compareThreeWays on float32 inputs (the explorer’s float32 view)', () => {
  // Finite differences run on a float64 copy of the perturbed input; the entry's other float32
  // inputs and constants must follow it, or a stage that checks dtypes refuses the mix
  // ("project: x is float64 but wq is float32").
  it.each(entries.map((entry) => [entry.key, entry] as const))('%s', (_key, entry) => {
    const made = entry.makeInputs({ seq: 5, dModel: 6, heads: 2, causal: true, seed: 7 });
    const inputs = Object.fromEntries(Object.entries(made).map(([name, value]) => [name, value.to('float32')]));
    const report = compareThreeWays(entry, inputs, { seed: 13, relativeStep: 1e-3 });
    for (const g of report.gradients) {
      expect(g.manual.dtype, g.name).toBe('float32');
      expect(g.manualVsAutograd.relative, `${g.name}: hand vs autograd`).toBeLessThan(1e-4);
      // float64 differences of the float32 values: what is left is float32 round-off in hand/autograd.
      expect(g.manualVsNumeric.relative, `${g.name}: hand vs finite differences`).toBeLessThan(1e-3);
    }
  });
});
