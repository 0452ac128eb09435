import { describe, expect, it } from 'vitest';
import { createTrainer, TRAIN_SIZES } from './train';

describe('createTrainer (the page trains it in a worker)', () => {
  it('learns the toy task: the loss falls below half its start in 60 steps, and the attention rows stay distributions', () => {
    const trainer = createTrainer(0);
    const start = trainer.loss;
    for (let i = 0; i < 60; i++) trainer.step();
    expect(trainer.steps).toBe(60);
    expect(trainer.loss).toBeLessThan(start / 2);
    const p = trainer.attention();
    expect(p.shape).toEqual([TRAIN_SIZES.seq, TRAIN_SIZES.seq]);
    for (let i = 0; i < TRAIN_SIZES.seq; i++) {
      let row = 0;
      for (let j = 0; j < TRAIN_SIZES.seq; j++) row += p.data[i * TRAIN_SIZES.seq + j];
      expect(Math.abs(row - 1)).toBeLessThan(1e-12);
    }
  });

  it("a step returns the loss at the parameters before its update; `loss` after it is the next step's starting loss", () => {
    const trainer = createTrainer(3);
    const before = trainer.loss;
    expect(trainer.step()).toBe(before);
    const after = trainer.loss;
    expect(after).not.toBe(before);
    // Read or not, the loss a step starts from is the same number.
    expect(trainer.step()).toBe(after);
    const third = createTrainer(3);
    third.step();
    third.step();
    expect(third.loss).toBe(trainer.loss);
  });
});
