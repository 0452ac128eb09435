/**
 * SequentialLR — runs schedules one after the other, as PyTorch 1.13: schedule k takes over at
 * milestone k − 1 and starts again from its own epoch 0 there:
 *   η_e = schedules[k].lrAt(e − m_{k−1}, η₀)    with k the number of milestones ≤ e (m₋₁ = 0)
 * The classic use: a linear warm-up, then a cosine decay. The inner schedules only lend their
 * closed forms; step the SequentialLR, not them.
 */
import { describe, rangeError, typeError } from '@attograd/tensor';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler';

/** Options of `SequentialLR`. */
export interface SequentialLROptions {
  /** The schedules, in order, all made for this optimizer. */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next schedule takes over: one fewer than the schedules, increasing. */
  milestones: readonly number[];
}

/**
 * Schedules in sequence.
 *
 * @example
 * const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 100 });
 * const decay = new CosineAnnealingLR(optimizer, { tMax: 900 });
 * const schedule = new SequentialLR(optimizer, { schedulers: [warmup, decay], milestones: [100] });
 */
export class SequentialLR extends LRScheduler {
  /** The schedules, in order. */
  readonly schedulers: readonly LRScheduler[];
  /** The epochs at which the next schedule takes over. */
  readonly milestones: readonly number[];

  constructor(optimizer: ScheduledOptimizer, options: SequentialLROptions) {
    super('SequentialLR', optimizer);
    const { schedulers, milestones } = options ?? ({} as SequentialLROptions);
    if (!Array.isArray(schedulers) || schedulers.length === 0 || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw typeError('SequentialLR', `schedulers must be a non-empty array of schedules, got ${describe(schedulers)}`);
    }
    schedulers.forEach((scheduler, i) => {
      if (scheduler.optimizer !== optimizer)
        throw rangeError('SequentialLR', `schedulers[${i}] (${scheduler.name}) was made for another optimizer`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw rangeError(
        'SequentialLR',
        `milestones must hold ${schedulers.length - 1} epoch(s), one fewer than the ${schedulers.length} schedule(s), got ${describe(milestones)}`,
      );
    }
    milestones.forEach((milestone, i) => {
      if (!Number.isInteger(milestone) || milestone < 1 || (i > 0 && milestone <= milestones[i - 1])) {
        throw rangeError('SequentialLR', `milestones must be increasing integers ≥ 1, got [${milestones.join(', ')}]`);
      }
    });
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.step();
  }

  lrAt(epoch: number, baseLr: number): number {
    let k = 0;
    while (k < this.milestones.length && this.milestones[k] <= epoch) k++;
    return this.schedulers[k].lrAt(k === 0 ? epoch : epoch - this.milestones[k - 1], baseLr);
  }
}
