import { describe, expect, it } from 'vitest';
import { tensor } from '@attograd/tensor';
import { zeroGrad } from './zero-grad';
import { SGD } from './sgd';

describe('zeroGrad', () => {
  it('sets every gradient to null by default', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    a.grad = tensor([5, 6]);
    zeroGrad([a, b]);
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('with setToNone: false, zeroes each gradient in place, bumping its version', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const grad = tensor([5, 6]);
    a.grad = grad;
    const version = grad.version;
    zeroGrad(a, { setToNone: false });
    expect(a.grad).toBe(grad);
    expect(Array.from(grad.data)).toEqual([0, 0]);
    expect(grad.version).toBe(version + 1);
  });

  it('cuts a recorded gradient from its graph before zeroing it (createGraph gradients)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const grad = tensor([5, 6], { requiresGrad: true });
    a.grad = grad;
    zeroGrad([a], { setToNone: false });
    expect(grad.requiresGrad).toBe(false);
    expect(grad.gradFn).toBeNull();
    expect(Array.from(grad.data)).toEqual([0, 0]);
  });

  it('is also an optimizer method over all its groups', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([2], { requiresGrad: true });
    a.grad = tensor([1]);
    b.grad = tensor([1]);
    new SGD([{ params: [a] }, { params: [b] }], { lr: 0.1 }).zeroGrad();
    expect([a.grad, b.grad]).toEqual([null, null]);
  });

  it('refuses what is not a tensor', () => {
    expect(() => zeroGrad(3 as never)).toThrow('zeroGrad: params must be a Tensor or an iterable of tensors, got number 3');
    expect(() => zeroGrad([tensor([1]), {} as never])).toThrow('zeroGrad: params[1] must be a Tensor, got an object (Object)');
    expect(() => zeroGrad([], { setToNone: 'yes' as never })).toThrow('zeroGrad: setToNone must be true or false');
  });
});
