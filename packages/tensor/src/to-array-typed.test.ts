import { describe, expect, it } from 'vitest';
import { defineOp, tensor, Tensor, zeros } from './index';

describe('toArray1d … toArray4d', () => {
  it('return the nested values of a tensor of exactly that rank', () => {
    expect(tensor([1, 2, 3]).toArray1d()).toEqual([1, 2, 3]);
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toArray2d(),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(zeros([1, 2, 1]).toArray3d()).toEqual([[[0], [0]]]);
    expect(zeros([1, 1, 1, 2]).toArray4d()).toEqual([[[[0, 0]]]]);
  });

  it('throw on any other rank, naming the method, the shape and what to use instead', () => {
    expect(() => tensor([1, 2, 3]).toArray2d()).toThrow(
      /toArray2d: expects a rank-2 tensor, got shape \[3\] \(rank 1\); use toArray1d\(\)/,
    );
    expect(() => tensor([[1, 2]]).toArray1d()).toThrow(/toArray1d: .*shape \[1, 2\] \(rank 2\); use toArray2d\(\)/);
    expect(() => tensor(1).toArray1d()).toThrow(/rank 0\); use item\(\)/);
    expect(() => zeros([1, 1, 1, 1, 1]).toArray4d()).toThrow(/rank 5\); use toArray\(\)/);
  });
});

describe('defineOp without attributes', () => {
  it('can be called without the attrs argument, and its rule sees attrs as {}', () => {
    let seen: unknown;
    const double = defineOp({
      name: 'double',
      inputNames: ['x'],
      forward: ([x]) =>
        new Tensor(
          x.data.map((v: number) => 2 * v),
          x.shape,
        ),
      backward: (dOut, { attrs }) => {
        seen = attrs;
        return [
          new Tensor(
            dOut.data.map((v: number) => 2 * v),
            dOut.shape,
          ),
        ];
      },
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = double([x]);
    expect(y.toArray1d()).toEqual([2, 4]);
    y.backward(tensor([1, 1]));
    expect(x.grad?.toArray1d()).toEqual([2, 2]);
    expect(seen).toEqual({});
  });
});
