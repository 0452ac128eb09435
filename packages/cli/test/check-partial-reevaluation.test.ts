import { gradcheck, numericalJacobianColumns, partiallyReevaluated } from '@attograd/gradcheck';
import { defineOp, noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { matmul, softmax } from '@attograd/ops';
import { describe, expect, it } from 'vitest';
import { allBuiltins } from '../src/check/builtins';
import type { CheckCase } from '../src/check/types';

/**
 * Re-evaluating only what a perturbation changes (gradcheck's default) must give exactly the
 * numbers of fn itself, on every built-in check.
 */

const replayable = (c: CheckCase) => partiallyReevaluated(c.fn, c.inputs);

const sizes = { batch: undefined, seq: 3, dModel: 4, heads: 2 };

describe('partial re-evaluation', () => {
  it('gives every built-in check bit-identical gradcheck numbers', () => {
    for (const spec of allBuiltins(sizes, 3)) {
      const c = spec.build();
      const plain = gradcheck(c.fn, c.inputs, { partial: false });
      const fast = gradcheck(c.fn, c.inputs);
      expect(fast.inputs, spec.name).toEqual(plain.inputs);
      expect(fast.warnings, spec.name).toEqual(plain.warnings);
    }
  });

  it('is used for the stages and composites (their ops are all known)', () => {
    for (const spec of allBuiltins(sizes, 0).filter((s) => s.kind === 'stage' || s.kind === 'composite')) {
      const c = spec.build();
      expect(replayable(c), spec.name).not.toBe(c.fn);
    }
  });

  it('recomputes what depends on a perturbed input, whichever input it is', () => {
    const spec = allBuiltins({ ...sizes, batch: 2 }, 1).find((s) => s.kind === 'composite' && s.name === 'attentionBlock');
    const c = spec!.build();
    const fast = replayable(c);
    c.inputs.forEach((input, i) => {
      const k = input.size - 1;
      const original = input.data[k];
      input.data[k] = original + 0.25;
      const expected = noGrad(() => c.fn(...c.inputs)).data;
      const got = noGrad(() => fast(...c.inputs)).data;
      input.data[k] = original;
      expect(Array.from(got), `input ${i}`).toEqual(Array.from(expected));
      expect(Array.from(noGrad(() => fast(...c.inputs)).data)).toEqual(Array.from(noGrad(() => c.fn(...c.inputs)).data));
    });
  });

  it('replays a user op too (each node recomputes through its own gradFn.recompute), with the same numbers', () => {
    const double = defineOp({
      name: 'double',
      inputNames: ['x'],
      forward: ([x]) =>
        new Tensor(
          x.data.map((v) => 2 * v),
          x.shape,
        ),
      backward: (d) => [d],
    });
    const x = randn([2, 3], { rng: rng(1), requiresGrad: true });
    const c: CheckCase = { fn: (t) => softmax(double([t], {})), inputs: [x], inputNames: ['x'] };
    const fast = replayable(c);
    expect(fast).not.toBe(c.fn);
    const plain = numericalJacobianColumns(c.fn, c.inputs, 0, 0, x.size).values;
    expect(Array.from(numericalJacobianColumns(fast, c.inputs, 0, 0, x.size).values)).toEqual(Array.from(plain));
  });

  it('returns fn itself when the output is not a recorded graph', () => {
    const x = randn([2, 3], { rng: rng(1), requiresGrad: true });
    const c: CheckCase = { fn: (t) => t.detach(), inputs: [x], inputNames: ['x'] };
    expect(replayable(c)).toBe(c.fn);
  });

  it('gives the same finite-difference columns as fn on other tensors sharing the buffers', () => {
    const random = rng(2);
    const a = randn([3, 4], { rng: random, requiresGrad: true });
    const b = randn([4, 2], { rng: random, requiresGrad: true });
    const c: CheckCase = { fn: (x, y) => softmax(matmul(x, y)), inputs: [a, b], inputNames: ['a', 'b'] };
    const fast = replayable(c);
    expect(fast).not.toBe(c.fn);
    for (const index of [0, 1]) {
      const plain = numericalJacobianColumns(c.fn, c.inputs, index, 0, c.inputs[index].size).values;
      const replayed = numericalJacobianColumns(fast, c.inputs, index, 0, c.inputs[index].size).values;
      expect(Array.from(replayed)).toEqual(Array.from(plain));
    }
  });
});
