/**
 * Replays every trajectory of test/golden/trajectories.json (PyTorch 1.13, float64; made by
 * scripts/golden.py): the same initial parameters, the same gradient at every step, the same
 * optimizer, schedule and clipping; after each of the 10 steps every parameter must equal
 * PyTorch's to 1e-12 (relative to max(1, |value|)), and so must the learning rates and the norms
 * clipGradNorm returns.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor } from '@attograd/tensor';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  LinearLR,
  SequentialLR,
  SGD,
  StepLR,
  clipGradNorm,
  type LRScheduler,
  type Optimizer,
} from '../src/index';

interface Encoded {
  shape: number[];
  data: (number | string)[];
}
interface Case {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  defaults: Record<string, unknown>;
  groups: { params: number[]; options?: Record<string, unknown> }[];
  initial: Encoded[];
  grads: (Encoded | null)[][];
  scheduler?: Record<string, unknown>;
  clip?: { maxNorm: number; normType: number | string };
  expected: { params: Encoded[][]; lrs: number[][]; totalNorms?: number[] };
}

const golden = JSON.parse(readFileSync(new URL('./golden/trajectories.json', import.meta.url), 'utf8')) as {
  generator: string;
  steps: number;
  cases: Case[];
};
const TOLERANCE = 1e-12;

const decode = (t: Encoded) => new Tensor(Float64Array.from(t.data, Number), t.shape);

function makeOptimizer(c: Case, params: Tensor[]): Optimizer {
  const groups = c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options }));
  const constructors = { SGD, Adam, AdamW } as const;
  return new constructors[c.optimizer](groups, c.defaults) as unknown as Optimizer;
}

function makeScheduler(optimizer: Optimizer, spec: Record<string, unknown>): LRScheduler {
  const { type, ...options } = spec;
  switch (type) {
    case 'StepLR':
      return new StepLR(optimizer, options as never);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, options as never);
    case 'LinearLR':
      return new LinearLR(optimizer, options as never);
    case 'SequentialLR': {
      const schedulers = (options.schedulers as Record<string, unknown>[]).map((s) => makeScheduler(optimizer, s));
      return new SequentialLR(optimizer, { schedulers, milestones: options.milestones as number[] });
    }
  }
  throw new Error(`unknown schedule ${String(type)}`);
}

/** Worst |a − b| / max(1, |b|) over the elements. */
function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return worst;
}

describe('trajectories from PyTorch', () => {
  it('come from PyTorch, 10 steps each, and cover every optimizer, schedule and clipping', () => {
    expect(golden.generator).toMatch(/^PyTorch 1\.13.*float64/);
    expect(golden.steps).toBe(10);
    const names = golden.cases.map((c) => c.name);
    for (const part of [
      'sgd/plain',
      'sgd/momentum',
      'sgd/nesterov',
      'sgd/weight-decay',
      'adam/defaults',
      'adam/weight-decay',
      'adamw/defaults',
      'step-lr',
      'cosine',
      'linear-lr',
      'warmup',
      'clip-grad-norm',
    ]) {
      expect(
        names.some((name) => name.includes(part)),
        part,
      ).toBe(true);
    }
  });

  for (const c of golden.cases) {
    it(`${c.name}: every parameter after every step matches to ${TOLERANCE}`, () => {
      const params = c.initial.map((t) => {
        const param = decode(t);
        param.requiresGrad = true;
        return param;
      });
      const optimizer = makeOptimizer(c, params);
      const scheduler = c.scheduler ? makeScheduler(optimizer, c.scheduler) : null;
      let worst = 0;
      for (let step = 0; step < golden.steps; step++) {
        c.grads[step].forEach((g, i) => (params[i].grad = g === null ? null : decode(g)));
        if (c.clip) {
          const norm = clipGradNorm(params, c.clip.maxNorm, { normType: Number(c.clip.normType) });
          expect(Math.abs(norm - c.expected.totalNorms![step]) / c.expected.totalNorms![step]).toBeLessThan(TOLERANCE);
        }
        const lrs = optimizer.paramGroups.map((group) => group.lr);
        expect(worstError(lrs, c.expected.lrs[step]), `lr at step ${step}`).toBeLessThan(TOLERANCE);
        optimizer.step();
        scheduler?.step();
        params.forEach((param, i) => {
          const error = worstError(param.data, c.expected.params[step][i].data as number[]);
          expect(error, `parameter ${i} after step ${step + 1}`).toBeLessThan(TOLERANCE);
          worst = Math.max(worst, error);
        });
      }
      // The trajectory really moved: a step that did nothing would not match PyTorch's either.
      const moved = worstError(params[0].data, c.initial[0].data as number[]);
      expect(moved).toBeGreaterThan(1e-3);
    });
  }
});
