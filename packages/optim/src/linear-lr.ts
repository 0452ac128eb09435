/**
 * LinearLR — scales the base rate by a factor that moves linearly from `startFactor` to
 * `endFactor` over `totalIters` epochs, then stays there, as PyTorch 1.13 (closed form):
 *   η_e = η₀ · (s + (f − s) · min(e, totalIters) / totalIters)
 * With s < f = 1 this is the usual linear warm-up; put it before a decay with `SequentialLR`.
 */
import { rangeError } from '@attograd/tensor';
import { checkInteger, checkNonNegative } from './checks';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler';

/** Options of `LinearLR`. */
export interface LinearLROptions {
  /** The factor at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** The factor from epoch `totalIters` on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs of the linear change (an integer ≥ 1). Default 5. */
  totalIters?: number;
}

/**
 * Linear change of the learning rate, e.g. a warm-up.
 *
 * @example
 * const warmup = new LinearLR(optimizer, { startFactor: 0.01, totalIters: 100 });
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0. */
  readonly startFactor: number;
  /** The factor from epoch `totalIters` on. */
  readonly endFactor: number;
  /** Epochs of the linear change. */
  readonly totalIters: number;

  constructor(optimizer: ScheduledOptimizer, options: LinearLROptions = {}) {
    super('LinearLR', optimizer);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    checkNonNegative('LinearLR', 'startFactor', startFactor);
    if (!(startFactor > 0 && startFactor <= 1)) throw rangeError('LinearLR', `startFactor must be in (0, 1], got ${startFactor}`);
    checkNonNegative('LinearLR', 'endFactor', endFactor);
    if (endFactor > 1) throw rangeError('LinearLR', `endFactor must be in [0, 1], got ${endFactor}`);
    checkInteger('LinearLR', 'totalIters', totalIters, 1);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.step();
  }

  lrAt(epoch: number, baseLr: number): number {
    return baseLr * (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(this.totalIters, epoch)) / this.totalIters);
  }
}
