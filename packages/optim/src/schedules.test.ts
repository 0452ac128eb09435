import { describe, expect, it } from 'vitest';
import { tensor } from '@attograd/tensor';
import { SGD } from './sgd';
import { AdamW } from './adamw';
import { StepLR } from './step-lr';
import { CosineAnnealingLR } from './cosine-annealing-lr';
import { LinearLR } from './linear-lr';
import { SequentialLR } from './sequential-lr';
import type { LRScheduler } from './lr-scheduler';

const optimizer = (lr = 1) =>
  new SGD([{ params: [tensor([1], { requiresGrad: true })] }, { params: [tensor([1], { requiresGrad: true })], lr: lr * 10 }], { lr });

/** The first group's lr at epochs 0 … n−1, stepping the schedule in between. */
function trace(schedule: LRScheduler, n: number): number[] {
  const lrs: number[] = [];
  for (let e = 0; e < n; e++) {
    lrs.push(schedule.optimizer.paramGroups[0].lr);
    schedule.step();
  }
  return lrs;
}

describe('learning-rate schedules', () => {
  it('StepLR: η₀·γ^⌊e/stepSize⌋, set at construction (epoch 0) and at every step', () => {
    const schedule = new StepLR(optimizer(), { stepSize: 2, gamma: 0.5 });
    expect(trace(schedule, 6)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(schedule.getLastLr()).toEqual([0.125, 1.25]); // each group from its own base rate
    expect(schedule.lastEpoch).toBe(6);
  });

  it('CosineAnnealingLR: from η₀ to ηmin in tMax epochs along half a cosine', () => {
    const schedule = new CosineAnnealingLR(optimizer(), { tMax: 4, etaMin: 0.1 });
    const lrs = trace(schedule, 5);
    const expected = [1, 0.1 + (0.9 * (1 + Math.SQRT1_2)) / 2, 0.55, 0.1 + (0.9 * (1 - Math.SQRT1_2)) / 2, 0.1];
    lrs.forEach((lr, e) => expect(lr).toBeCloseTo(expected[e], 15));
  });

  it('LinearLR: a warm-up from startFactor·η₀ to η₀ in totalIters epochs, then constant', () => {
    const lrs = trace(new LinearLR(optimizer(), { startFactor: 0.25, totalIters: 3 }), 6);
    [0.25, 0.5, 0.75, 1, 1, 1].forEach((lr, e) => expect(lrs[e]).toBeCloseTo(lr, 15));
  });

  it('SequentialLR: warm-up, then cosine restarting from its own epoch 0 at the milestone', () => {
    const opt = optimizer();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const decay = new CosineAnnealingLR(opt, { tMax: 2 });
    const lrs = trace(new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] }), 6);
    [0.5, 0.75, 1, 0.5, 0, 0.5].forEach((lr, e) => expect(lrs[e]).toBeCloseTo(lr, 15));
  });

  it('a second schedule keeps the first one’s base rate (initialLr), as in PyTorch', () => {
    const opt = optimizer(2);
    new StepLR(opt, { stepSize: 1, gamma: 0.1 }).step(); // lr 0.2 now
    expect(new LinearLR(opt, { startFactor: 0.5 }).baseLrs).toEqual([2, 20]);
  });

  it('drives the optimizer: AdamW steps with the scheduled rate', () => {
    const p = tensor([1], { requiresGrad: true });
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 1 });
    const schedule = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    p.grad = tensor([0]);
    opt.step();
    schedule.step();
    opt.step(); // with g = 0 only the decay acts: p·(1 − 0.1)·(1 − 0.05)
    expect(p.data[0]).toBeCloseTo(0.9 * 0.95, 15);
  });

  it('stateDict / loadStateDict resume where the schedule stopped', () => {
    const first = new CosineAnnealingLR(optimizer(), { tMax: 10 });
    trace(first, 3);
    const resumed = new CosineAnnealingLR(optimizer(), { tMax: 10 });
    resumed.loadStateDict(first.stateDict());
    expect(resumed.lastEpoch).toBe(3);
    resumed.step();
    first.step();
    expect(resumed.getLastLr()).toEqual(first.getLastLr());
    expect(() => resumed.loadStateDict(new StepLR(optimizer(), { stepSize: 1 }).stateDict())).toThrow(
      'CosineAnnealingLR.loadStateDict: the state dict was saved by the string "StepLR", not by CosineAnnealingLR',
    );
    expect(() => resumed.loadStateDict({ scheduler: 'CosineAnnealingLR', lastEpoch: -2, baseLrs: [1, 10] })).toThrow(
      'CosineAnnealingLR.loadStateDict: lastEpoch must be an integer ≥ 0, got -2',
    );
    expect(() => resumed.loadStateDict({ scheduler: 'CosineAnnealingLR', lastEpoch: null as never, baseLrs: [1, 10] })).toThrow(
      new TypeError('CosineAnnealingLR.loadStateDict: lastEpoch must be an integer ≥ 0, got null'),
    );
  });

  it('refuses to run when the optimizer gained a group after the schedule was made', () => {
    const opt = optimizer();
    const schedule = new StepLR(opt, { stepSize: 1 });
    opt.addParamGroup({ params: [tensor([1])] });
    expect(() => schedule.step()).toThrow('StepLR.step: the optimizer has 3 parameter group(s) but had 2 when this schedule was made');
  });

  it('errors name the schedule, the argument and the value', () => {
    expect(() => new StepLR(optimizer(), { stepSize: 0 })).toThrow('StepLR: stepSize must be an integer ≥ 1, got 0');
    expect(() => new StepLR(optimizer(), { stepSize: 0 })).toThrow(RangeError);
    // Not a number at all: a TypeError (tensor's checkInteger, shared with the layers).
    expect(() => new StepLR(optimizer(), { stepSize: '2' as never })).toThrow(
      new TypeError('StepLR: stepSize must be an integer ≥ 1, got the string "2"'),
    );
    expect(() => new StepLR(optimizer(), { stepSize: 2, gamma: -1 })).toThrow('StepLR: gamma must be a finite number ≥ 0, got -1');
    expect(() => new CosineAnnealingLR(optimizer(), { tMax: 2.5 })).toThrow('CosineAnnealingLR: tMax must be an integer ≥ 1, got 2.5');
    expect(() => new LinearLR(optimizer(), { startFactor: 0 })).toThrow('LinearLR: startFactor must be in (0, 1], got 0');
    expect(() => new LinearLR(optimizer(), { endFactor: 2 })).toThrow('LinearLR: endFactor must be in [0, 1], got 2');
    expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow(
      'StepLR: optimizer must be an optimizer (SGD, Adam, AdamW, …), got an object (Object)',
    );
    const opt = optimizer();
    const a = new LinearLR(opt);
    expect(() => new SequentialLR(opt, { schedulers: [a], milestones: [3] })).toThrow(
      'SequentialLR: milestones must hold 0 epoch(s), one fewer than the 1 schedule(s), got an array of length 1',
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, new StepLR(optimizer(), { stepSize: 1 })], milestones: [3] })).toThrow(
      'SequentialLR: schedulers[1] (StepLR) was made for another optimizer',
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, new LinearLR(opt)], milestones: [0] })).toThrow(
      'SequentialLR: milestones must be increasing integers ≥ 1, got [0]',
    );
  });
});
