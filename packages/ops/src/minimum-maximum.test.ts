import { tensor } from '@attograd/tensor';
import { describe, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, vjp } from '../test/helpers';
import { maximum } from './maximum';
import { minimum } from './minimum';

describe('maximum and minimum', () => {
  it('values and gradients: the chosen side gets it, ties ½/½, NaN gives NaN and both sides the gradient (as PyTorch)', () => {
    const a = tensor([NaN, 1, 1, 2], { requiresGrad: true });
    const b = tensor([1, NaN, 1, 1], { requiresGrad: true });
    const c = tensor([1, 2, 3, 4]);
    const upper = maximum(a, b);
    expectClose(upper, [NaN, NaN, 1, 2]);
    const [dA, dB] = vjp(upper, [a, b], c);
    expectClose(dA, [1, 2, 1.5, 4]);
    expectClose(dB, [1, 2, 1.5, 0]);
    const lower = minimum(a, b);
    expectClose(lower, [NaN, NaN, 1, 1]);
    const [eA, eB] = vjp(lower, [a, b], c);
    expectClose(eA, [1, 2, 1.5, 0]);
    expectClose(eB, [1, 2, 1.5, 4]);
  });

  it('broadcast, with a number on either side', () => {
    expectClose(maximum(tensor([[1, 5]]), tensor([[3], [0]])), [
      [3, 5],
      [1, 5],
    ]);
    expectClose(maximum(0, tensor([-1, 2])), [0, 2]);
    expectClose(minimum(tensor([-1, 2]), 0), [-1, 0]);
  });

  it('gradcheck with broadcasting (no ties)', () => {
    const a = tensor(
      [
        [0.3, -1.2, 2],
        [1.1, 0.4, -0.5],
      ],
      { requiresGrad: true },
    );
    const b = tensor([0.1, 0.2, 0.3], { requiresGrad: true });
    expectGradcheck(maximum, [a, b]);
    expectGradcheck(minimum, [a, b]);
  });
});
