import { tensor, zeros } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { expand } from './expand';
import { squeeze, unsqueeze } from './squeeze';

describe('squeeze and unsqueeze', () => {
  it('drop axes of size 1 (one, or all) and insert one (negative axes count from the end of the result)', () => {
    expect(squeeze(zeros([2, 1, 3, 1])).shape).toEqual([2, 3]);
    expect(squeeze(zeros([2, 1, 3]), 1).shape).toEqual([2, 3]);
    expect(squeeze(zeros([2, 1, 3]), 0).shape).toEqual([2, 1, 3]);
    expect(unsqueeze(zeros([2, 3]), 0).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(zeros([2, 3]), -1).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(zeros([2, 3]), 2).shape).toEqual([2, 3, 1]);
    expect(() => unsqueeze(zeros([2, 3]), 3)).toThrow('unsqueeze: axis 3 is out of range for a result of rank 3 (x has shape [2, 3])');
    expect(() => squeeze(zeros([2]), 1)).toThrow(/squeeze/);
  });

  it('gradients come back in the input shape', () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    expectClose(vjp(squeeze(x), [x], tensor([3, 4]))[0], [[3, 4]]);
    expectGradcheck((t) => unsqueeze(t, 1), [normal([2, 3], 41)]);
  });
});

describe('expand', () => {
  it('repeats size-1 axes, −1 keeps a dimension, and the gradient sums the copies (by hand)', () => {
    const x = tensor([[1], [2]], { requiresGrad: true });
    const y = expand(x, [2, -1, 3]);
    expect(y.shape).toEqual([2, 2, 3]);
    expectClose(y, [
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
    ]);
    expectClose(
      vjp(
        y,
        [x],
        tensor([
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          [
            [1, 1, 1],
            [0, 0, 1],
          ],
        ]),
      )[0],
      [[9], [16]],
    );
  });

  it('rejects shapes x cannot expand to, naming both', () => {
    expect(() => expand(zeros([2, 3]), [4, 3, 2])).toThrow('expand: x of shape [2, 3] does not expand to [4, 3, 2]');
    expect(() => expand(zeros([2]), [-1, 2])).toThrow(/expand: −1 is not allowed for the new leading axis 0/);
    expect(() => expand(zeros([2, 3]), [3])).toThrow(/fewer axes than x/);
  });

  it('gradcheck', () => expectGradcheck((t) => expand(t, [3, 2, 4]), [normal([2, 1], 42)]));
});
