import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, vjp } from '../test/helpers';
import { gather } from './gather';

const ids = (values: number[][]) => tensor(values, { dtype: 'int32' });

describe('gather', () => {
  it('picks along an axis (as torch.gather) and scatter-adds back: a repeated index accumulates (by hand)', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const y = gather(
      x,
      1,
      ids([
        [2, 2],
        [0, 1],
      ]),
    );
    expectClose(y, [
      [3, 3],
      [4, 5],
    ]);
    expectClose(
      vjp(
        y,
        [x],
        tensor([
          [10, 20],
          [30, 40],
        ]),
      )[0],
      [
        [0, 0, 30],
        [30, 40, 0],
      ],
    );
    const z = gather(x, 0, ids([[1, 0, 1]]));
    expectClose(z, [[4, 2, 6]]);
  });

  it('is linear with scatter-add as its adjoint: ⟨gather(x), y⟩ = ⟨x, scatterAdd(y)⟩', () => {
    expectAdjoint(
      (x) =>
        gather(
          x,
          0,
          ids([
            [0, 1, 0],
            [0, 0, 1],
            [1, 1, 1],
          ]),
        ),
      [normal([2, 3], 31)],
      32,
    );
  });

  it('bad index: float dtype, wrong rank or size, out of range', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => gather(x, 1, tensor([[0]]))).toThrow(/gather: index must be an int32 tensor of indices, got float64 of shape \[1, 1\]/);
    expect(() => gather(x, 1, tensor([0], { dtype: 'int32' }))).toThrow(/gather: index \[1\] must have x's rank \(2\)/);
    expect(() => gather(x, 1, ids([[0, 2]]))).toThrow('gather: index[1] (flat position) is 2, outside [0, 2) for axis 1 of x [2, 2]');
  });

  it('gradcheck with repeats', () => {
    expectGradcheck(
      (x) =>
        gather(
          x,
          -1,
          ids([
            [1, 1, 0, 1],
            [2, 0, 0, 2],
          ]),
        ),
      [normal([2, 3], 33)],
    );
  });
});
