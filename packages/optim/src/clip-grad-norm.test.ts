import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Tensor, tensor } from '@attograd/tensor';
import { CLIP_EPSILON, clipGradNorm } from './clip-grad-norm';

const withGrad = (grad: number[]) => {
  const p = tensor(
    grad.map(() => 0),
    { requiresGrad: true },
  );
  p.grad = tensor(grad);
  return p;
};
const norm2 = (params: Tensor[]) => Math.sqrt(params.reduce((sum, p) => sum + Array.from(p.grad!.data).reduce((s, g) => s + g * g, 0), 0));

describe('clipGradNorm', () => {
  it('by hand: gradients (3) and (4) have joint norm 5; clipped to 1 they become 3c and 4c with c = 1 / (5 + 1e-6)', () => {
    const a = withGrad([3]);
    const b = withGrad([4]);
    const gradA = a.grad!;
    expect(clipGradNorm([a, b], 1)).toBe(5);
    const c = 1 / (5 + 1e-6);
    expect(a.grad!.data[0]).toBe(3 * c);
    expect(b.grad!.data[0]).toBe(4 * c);
    expect(a.grad).toBe(gradA); // in place
    expect(gradA.version).toBe(1);
  });

  it('by hand: the ∞-norm is the largest |g|; the 1-norm the sum of |g|', () => {
    expect(clipGradNorm([withGrad([1, -7]), withGrad([2])], 100, { normType: Infinity })).toBe(7);
    expect(clipGradNorm([withGrad([1, -7]), withGrad([2])], 100, { normType: 1 })).toBe(10);
  });

  it('leaves gradients under the limit alone (no version bump) and skips parameters without one', () => {
    const a = withGrad([0.3, 0.4]);
    const b = tensor([1], { requiresGrad: true });
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(a.grad!.data)).toEqual([0.3, 0.4]);
    expect(a.grad!.version).toBe(0);
    expect(b.grad).toBeNull();
  });

  it('returns 0 when no parameter has a gradient', () => {
    expect(clipGradNorm([tensor([1])], 1)).toBe(0);
  });

  it('property: afterwards the joint norm is at most maxNorm, and the direction is kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        (grads, maxNorm) => {
          const params = grads.map(withGrad);
          const before = params.map((p) => Array.from(p.grad!.data));
          const total = clipGradNorm(params, maxNorm);
          expect(Math.abs(total - Math.sqrt(before.flat().reduce((s, g) => s + g * g, 0)))).toBeLessThanOrEqual(1e-12 * Math.max(1, total));
          expect(norm2(params)).toBeLessThanOrEqual(maxNorm * (1 + 1e-12));
          const scale = Math.min(1, maxNorm / (total + CLIP_EPSILON));
          params.forEach((p, k) => before[k].forEach((g, i) => expect(p.grad!.data[i]).toBe(g * scale)));
        },
      ),
    );
  });

  it('a NaN gradient makes every gradient NaN (as PyTorch), unless errorIfNonfinite, which throws and changes nothing', () => {
    const a = withGrad([1, Number.NaN]);
    const b = withGrad([1]);
    expect(() => clipGradNorm([a, b], 1, { errorIfNonfinite: true })).toThrow('clipGradNorm: the total 2-norm of the gradients is NaN');
    expect(b.grad!.data[0]).toBe(1);
    expect(clipGradNorm([a, b], 1)).toBeNaN();
    expect(b.grad!.data[0]).toBeNaN();
    expect(clipGradNorm([withGrad([Number.NaN, 1])], 1, { normType: Infinity })).toBeNaN();
  });

  it('refuses bad arguments, naming them', () => {
    const a = withGrad([1]);
    expect(() => clipGradNorm([a], -1)).toThrow('clipGradNorm: maxNorm must be a finite number ≥ 0, got -1');
    expect(() => clipGradNorm([a], 1, { normType: 0 })).toThrow('clipGradNorm: normType must be a number > 0 or Infinity, got 0');
    expect(() => clipGradNorm([a], 1, { normType: '2' as never })).toThrow(
      'clipGradNorm: normType must be a number > 0 or Infinity, got the string "2"',
    );
    expect(() => clipGradNorm(null as never, 1)).toThrow('clipGradNorm: params must be a Tensor or an iterable of tensors, got null');
  });
});
