import { checkInteger, describe, rangeError, typeError } from '@attograd/tensor';
import type { BaseOptions, ParamGroup } from './optimizer';

/** What a schedule needs of an optimizer: its parameter groups, whose `lr` it sets. */
export interface ScheduledOptimizer {
  /** The optimizer's class name, for error messages. */
  readonly name: string;
  /** The groups whose `lr` the schedule sets (and whose `initialLr` it records). */
  readonly paramGroups: ParamGroup<BaseOptions>[];
}

/** A schedule's progress, from `stateDict()`. Its settings (stepSize, tMax, …) are not part of it. */
export interface SchedulerStateDict {
  /** The class that saved it (`'StepLR'`, …). */
  scheduler: string;
  /** The epoch (number of `step()` calls since construction) the learning rates belong to. */
  lastEpoch: number;
  /** Each group's learning rate at epoch 0. */
  baseLrs: number[];
}

/**
 * A learning-rate schedule in closed form: the learning rate of each parameter group at epoch e is
 * `lrAt(e, baseLr)`, with `baseLr` the group's learning rate when the first schedule was attached
 * (kept as the group's `initialLr`). As in PyTorch, constructing a schedule sets epoch 0's rate,
 * and `step()`, called after `optimizer.step()`, moves to the next epoch ("epoch" is whatever
 * unit you step it by: often one optimizer step).
 *
 * @example
 * class HalvingLR extends LRScheduler {
 *   constructor(optimizer: ScheduledOptimizer) {
 *     super('HalvingLR', optimizer);
 *     this.step();
 *   }
 *   lrAt(epoch: number, baseLr: number): number {
 *     return baseLr / 2 ** epoch;
 *   }
 * }
 */
export abstract class LRScheduler {
  /** Each group's learning rate at epoch 0. */
  readonly baseLrs: number[];
  /** The current epoch: -1 before the constructor's first step, then 0, 1, … */
  lastEpoch = -1;

  protected constructor(
    /** The class name, used in error messages and state dicts. */
    readonly name: string,
    /** The optimizer whose groups' `lr` this schedule sets. */
    readonly optimizer: ScheduledOptimizer,
  ) {
    if (typeof optimizer !== 'object' || optimizer === null || !Array.isArray((optimizer as ScheduledOptimizer).paramGroups)) {
      throw typeError(name, `optimizer must be an optimizer (SGD, Adam, AdamW, …), got ${describe(optimizer)}`);
    }
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((group) => group.initialLr as number);
  }

  /** The closed form: the learning rate at `epoch` of a group whose rate at epoch 0 was `baseLr`. */
  abstract lrAt(epoch: number, baseLr: number): number;

  /** Moves to the next epoch and sets every group's `lr`. Call it after `optimizer.step()`. */
  step(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      throw rangeError(
        `${this.name}.step`,
        `the optimizer has ${groups.length} parameter group(s) but had ${this.baseLrs.length} when this schedule was made; make a new schedule after addParamGroup`,
      );
    }
    this.lastEpoch += 1;
    groups.forEach((group, i) => (group.lr = this.lrAt(this.lastEpoch, this.baseLrs[i])));
  }

  /** The learning rate of each group at the current epoch. */
  getLastLr(): number[] {
    return this.baseLrs.map((baseLr) => this.lrAt(this.lastEpoch, baseLr));
  }

  /** The schedule's progress (a copy), to resume training later. */
  stateDict(): SchedulerStateDict {
    return { scheduler: this.name, lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  /**
   * Restores progress saved by `stateDict()` of the same kind of schedule. Like PyTorch, it does
   * not touch the optimizer: restore the optimizer's own state dict, which holds each group's lr.
   */
  loadStateDict(state: SchedulerStateDict): void {
    const owner = `${this.name}.loadStateDict`;
    if (typeof state !== 'object' || state === null)
      throw typeError(owner, `expected { scheduler, lastEpoch, baseLrs } from stateDict(), got ${describe(state)}`);
    if (state.scheduler !== this.name)
      throw typeError(owner, `the state dict was saved by ${describe(state.scheduler)}, not by ${this.name}`);
    checkInteger(owner, 'lastEpoch', state.lastEpoch, 0);
    if (
      !Array.isArray(state.baseLrs) ||
      state.baseLrs.length !== this.baseLrs.length ||
      !state.baseLrs.every((lr) => typeof lr === 'number' && lr >= 0)
    ) {
      throw rangeError(
        owner,
        `baseLrs must be ${this.baseLrs.length} number(s) ≥ 0 (one per parameter group), got ${describe(state.baseLrs)}`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs.splice(0, this.baseLrs.length, ...state.baseLrs);
  }
}
