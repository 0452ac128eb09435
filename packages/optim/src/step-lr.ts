/**
 * StepLR — multiplies the learning rate by γ every `stepSize` epochs, as PyTorch 1.13:
 *   η_e = η₀ · γ^⌊e / stepSize⌋
 */
import { checkInteger, checkNonNegative } from './checks';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler';

/** Options of `StepLR`. */
export interface StepLROptions {
  /** Epochs between two decays (an integer ≥ 1). */
  stepSize: number;
  /** The factor of each decay. Default 0.1. */
  gamma?: number;
}

/**
 * Step decay of the learning rate.
 *
 * @example
 * const schedule = new StepLR(optimizer, { stepSize: 30, gamma: 0.1 }); // ÷10 every 30 epochs
 */
export class StepLR extends LRScheduler {
  /** Epochs between two decays. */
  readonly stepSize: number;
  /** The factor of each decay. */
  readonly gamma: number;

  constructor(optimizer: ScheduledOptimizer, options: StepLROptions) {
    super('StepLR', optimizer);
    const { stepSize, gamma = 0.1 } = options ?? ({} as StepLROptions);
    checkInteger('StepLR', 'stepSize', stepSize, 1);
    checkNonNegative('StepLR', 'gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.step();
  }

  lrAt(epoch: number, baseLr: number): number {
    return baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}
