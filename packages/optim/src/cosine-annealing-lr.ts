/**
 * CosineAnnealingLR — half a cosine from the base rate η₀ down to ηmin over tMax epochs, as
 * PyTorch 1.13 (the closed form its documentation gives; its own recursive update agrees with it
 * to rounding when nothing else changes the rate):
 *   η_e = ηmin + (η₀ − ηmin) · (1 + cos(π·e / tMax)) / 2
 * After tMax the cosine climbs back (the curve is periodic, as in PyTorch).
 */
import { checkInteger, checkNonNegative } from './checks';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler';

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  /** Epochs from the base rate to `etaMin` (an integer ≥ 1). */
  tMax: number;
  /** The lowest rate. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing of the learning rate.
 *
 * @example
 * const schedule = new CosineAnnealingLR(optimizer, { tMax: steps, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Epochs from the base rate to `etaMin`. */
  readonly tMax: number;
  /** The lowest rate. */
  readonly etaMin: number;

  constructor(optimizer: ScheduledOptimizer, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer);
    const { tMax, etaMin = 0 } = options ?? ({} as CosineAnnealingLROptions);
    checkInteger('CosineAnnealingLR', 'tMax', tMax, 1);
    checkNonNegative('CosineAnnealingLR', 'etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.step();
  }

  lrAt(epoch: number, baseLr: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
