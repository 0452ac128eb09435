import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, vjp } from '../test/helpers';
import { embedding } from './embedding';
import { indexSelect } from './index-select';

const ids = (values: number[] | number[][]) => tensor(values, { dtype: 'int32' });

describe('indexSelect', () => {
  it('selects slices in index order; a slice chosen twice gets both gradients (by hand)', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { requiresGrad: true },
    );
    const y = indexSelect(x, 0, ids([2, 0, 2]));
    expectClose(y, [
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    expectClose(
      vjp(
        y,
        [x],
        tensor([
          [1, 2],
          [3, 4],
          [10, 20],
        ]),
      )[0],
      [
        [3, 4],
        [0, 0],
        [11, 22],
      ],
    );
    expectClose(indexSelect(x, 1, ids([1])), [[2], [4], [6]]);
  });

  it('is linear, with scatter-add as adjoint', () => {
    expectAdjoint((x) => indexSelect(x, 1, ids([0, 2, 2, 1])), [normal([2, 3, 2], 34)], 35);
  });

  it('rejects a 2-D index and an index out of range', () => {
    expect(() => indexSelect(tensor([1, 2]), 0, ids([[0]]))).toThrow('indexSelect: index must be 1-D, got shape [1, 1]');
    expect(() => indexSelect(tensor([1, 2]), 0, ids([0, -1]))).toThrow(
      'indexSelect: index[1] (flat position) is -1, outside [0, 2) for axis 0 of x [2]',
    );
  });

  it('gradcheck', () => expectGradcheck((x) => indexSelect(x, -1, ids([2, 2, 0])), [normal([2, 3], 36)]));
});

describe('embedding', () => {
  it('rows of the table for ids of any shape; a token used twice accumulates in its row (by hand)', () => {
    const table = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { requiresGrad: true },
    );
    const y = embedding(
      table,
      ids([
        [1, 1],
        [0, 2],
      ]),
    );
    expect(y.shape).toEqual([2, 2, 2]);
    expectClose(y, [
      [
        [3, 4],
        [3, 4],
      ],
      [
        [1, 2],
        [5, 6],
      ],
    ]);
    const [dW] = vjp(
      y,
      [table],
      tensor([
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ]),
    );
    expectClose(dW, [
      [5, 6],
      [4, 6],
      [7, 8],
    ]);
  });

  it('names the table and ids in errors', () => {
    expect(() => embedding(tensor([1, 2]), ids([0]))).toThrow('embedding: table must be 2-D [V, D], got shape [2]');
    expect(() => embedding(tensor([[1, 2]]), ids([1]))).toThrow('embedding: ids[0] (flat position) is 1, outside [0, 1) for table [1, 2]');
    expect(() => embedding(tensor([[1, 2]]), tensor([0]))).toThrow(/embedding: ids must be an int32 tensor/);
  });

  it('gradcheck', () => expectGradcheck((w) => embedding(w, ids([[3, 0, 3, 3]])), [normal([4, 3], 37)]));
});
