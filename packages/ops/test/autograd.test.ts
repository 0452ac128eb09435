/**
 * The engine of @attograd/tensor, exercised through the real ops (the tensor package cannot import
 * them): accumulation, deep graphs, higher-order gradients, graph freeing, noGrad, .grad
 * bookkeeping and broadcasting.
 */
import { gradients, noGrad, type Tensor, tensor, withGradMode } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { add, exp, layerNorm, matmul, mul, scale, softmax, sum } from '../src/index';
import { expectGradcheck } from './check';
import { expectClose, normal, uniform } from './helpers';

describe('accumulation', () => {
  it('a tensor used twice receives the sum of both paths: mul(x, x) gives 2x ⊙ c', () => {
    const x = normal([3, 4], 1);
    const c = normal([3, 4], 2, false);
    mul(x, x).backward(c);
    expectClose(x.grad!, mul(scale(x.detach(), 2), c), 1e-15);
  });

  it('a shared subexpression is differentiated once per use: y = exp(x), z = y ⊙ y + y', () => {
    const x = normal([5], 3);
    const c = normal([5], 4, false);
    const y = exp(x);
    const [dx] = gradients(add(mul(y, y), y), [x], { gradOutput: c });
    // dz/dx = (2y + 1) ⊙ y
    const expected = Array.from(x.data, (v, i) => (2 * Math.exp(v) + 1) * Math.exp(v) * c.data[i]);
    expectClose(dx, expected, 1e-14);
  });

  it('.grad accumulates across two backward calls', () => {
    const x = normal([2, 3], 5);
    const [c1, c2] = [normal([2, 3], 6, false), normal([2, 3], 7, false)];
    scale(x, 3).backward(c1);
    expectClose(x.grad!, scale(c1, 3), 1e-15);
    scale(x, -2).backward(c2);
    expectClose(x.grad!, add(scale(c1, 3), scale(c2, -2)), 1e-15);
  });

  it('gradients() returns the gradients without touching .grad', () => {
    const x = normal([2, 3], 8);
    const c = normal([2, 3], 9, false);
    const [dx] = gradients(mul(x, 4), [x], { gradOutput: c });
    expectClose(dx, scale(c, 4), 1e-15);
    expect(x.grad).toBeNull();
  });

  it('broadcasting: add(x[3,1], y[1,4]) gives x the row sums and y the column sums of the cotangent', () => {
    const x = normal([3, 1], 10);
    const y = normal([1, 4], 11);
    const c = tensor([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ]);
    add(x, y).backward(c);
    expect(x.grad!.shape).toEqual([3, 1]);
    expect(y.grad!.shape).toEqual([1, 4]);
    expectClose(x.grad!, [[10], [26], [42]]);
    expectClose(y.grad!, [[15, 18, 21, 24]]);
  });
});

describe('deep graphs', () => {
  it('a chain of 100,000 ops runs backward without overflowing the stack', () => {
    const x = tensor([1, -2], { requiresGrad: true });
    let y: Tensor = x;
    // Alternating factors keep the values exact: 1.0000001^50000 · 0.9999999^50000 stays near 1.
    for (let i = 0; i < 100_000; i++) y = scale(y, i % 2 === 0 ? 1.0000001 : 1 / 1.0000001);
    y.backward(tensor([3, 5]));
    expectClose(x.grad!, [3, 5], 1e-9);
  }, 60_000); // a correctness test of a deep graph: no speed is asserted, so a loaded machine gets time

  it('a chain of 100,000 adds sums a gradient into each of its leaves', () => {
    const leaves = [normal([2], 12), normal([2], 13)];
    let y: Tensor = leaves[0];
    for (let i = 0; i < 100_000; i++) y = add(y, leaves[1]);
    const c = tensor([1, -1]);
    y.backward(c);
    expectClose(leaves[0].grad!, [1, -1]);
    expectClose(leaves[1].grad!, [100_000, -100_000]);
  }, 60_000); // a correctness test of a deep graph: no speed is asserted, so a loaded machine gets time
});

/**
 * x ↦ ∇ₓ⟨f(x), c⟩, recorded (createGraph) so its own derivative can be checked. gradcheck reruns fn
 * without recording for the finite differences; the gradient needs a graph, so recording is turned
 * back on inside.
 */
function gradientOf(f: (x: Tensor) => Tensor, cotangent: Tensor): (x: Tensor) => Tensor {
  return (x) => withGradMode(true, () => gradients(f(x), [x], { gradOutput: cotangent, createGraph: true })[0]);
}

describe('higher-order gradients match finite differences of the gradient', () => {
  it('exp: ∇⟨exp(x), c⟩ = c ⊙ exp(x)', () => {
    const x = normal([2, 3], 14);
    expectGradcheck(gradientOf(exp, normal([2, 3], 15, false)), [x]);
  });

  it('mul: ∇⟨x ⊙ x ⊙ w, c⟩ = 2 c ⊙ w ⊙ x', () => {
    const w = normal([3], 16, false);
    expectGradcheck(
      gradientOf((x) => mul(mul(x, x), w), normal([2, 3], 17, false)),
      [normal([2, 3], 18)],
    );
  });

  it('mul: ∇_a⟨a ⊙ b, c⟩ = c ⊙ b, differentiated with respect to b (the mixed second derivative)', () => {
    const c = normal([2, 3], 19, false);
    const a = normal([2, 3], 20);
    const dA = (b: Tensor) => withGradMode(true, () => gradients(mul(a, b), [a], { gradOutput: c, createGraph: true })[0]);
    expectGradcheck(dA, [normal([2, 3], 21)]);
  });

  it('softmax: ∇⟨softmax(x), c⟩ along either axis', () => {
    const c = normal([3, 4], 22, false);
    expectGradcheck(
      gradientOf((x) => softmax(x), c),
      [normal([3, 4], 23)],
    );
    expectGradcheck(
      gradientOf((x) => softmax(x, 0), c),
      [normal([3, 4], 24)],
    );
  });

  it('matmul: ∇⟨X·X, c⟩ = c·Xᵀ + Xᵀ·c, and ∇⟨A·B, c⟩ with respect to each factor', () => {
    expectGradcheck(
      gradientOf((x) => matmul(x, x), normal([3, 3], 25, false)),
      [normal([3, 3], 26)],
    );
    const c = normal([2, 3, 5], 27, false);
    const b = normal([4, 5], 28, false);
    expectGradcheck(
      gradientOf((a) => matmul(exp(a), b), c),
      [normal([2, 3, 4], 29)],
    );
  });

  it('layerNorm: its rule recomputes N and rstd with ops, so they are differentiable', () => {
    const gamma = uniform([5], 30, 0.5, 1.5, false);
    const beta = normal([5], 31, false);
    expectGradcheck(
      gradientOf((x) => layerNorm(x, gamma, beta), normal([2, 5], 32, false)),
      [normal([2, 5], 33)],
    );
  });

  it('third order: ∇ of ⟨∇⟨exp(x), c⟩, d⟩ is c ⊙ d ⊙ exp(x)', () => {
    const [c, d] = [normal([4], 34, false), normal([4], 35, false)];
    const x = normal([4], 36);
    const [g] = gradients(exp(x), [x], { gradOutput: c, createGraph: true });
    const [h] = gradients(g, [x], { gradOutput: d, createGraph: true });
    const [third] = gradients(h, [x], { gradOutput: tensor([1, 1, 1, 1]) });
    expectClose(
      third,
      Array.from(x.data, (v, i) => c.data[i] * d.data[i] * Math.exp(v)),
      1e-14,
    );
  });
});

describe('graph lifetime and recording', () => {
  it('backward on a non-scalar without gradOutput asks for one', () => {
    const y = exp(normal([2, 3], 37));
    expect(() => y.backward()).toThrow(
      'backward: gradOutput is required because the output is not a scalar (shape [2, 3]); pass a cotangent of that shape',
    );
    expect(() => gradients(y, [normal([1], 38)])).toThrow(/gradOutput is required/);
  });

  it('a scalar output needs no gradOutput (it is 1)', () => {
    const x = normal([3], 39);
    sum(mul(x, x)).backward();
    expectClose(x.grad!, scale(x.detach(), 2), 1e-15);
  });

  it('a second backward through a freed graph throws; retainGraph allows it', () => {
    const x = normal([3], 40);
    const c = normal([3], 41, false);
    const freed = exp(x);
    freed.backward(c);
    expect(() => freed.backward(c)).toThrow("backward: the graph through 'exp' was freed by an earlier backward pass");

    const x2 = normal([3], 40);
    const kept = exp(x2);
    kept.backward(c, { retainGraph: true });
    kept.backward(c);
    expectClose(x2.grad!, scale(mul(exp(x2.detach()), c), 2), 1e-15);
  });

  it('noGrad records nothing', () => {
    const x = normal([2, 2], 42);
    const y = noGrad(() => matmul(exp(x), x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(() => y.backward(normal([2, 2], 43, false))).toThrow(/does not require gradients/);
    const z = exp(x);
    expect(z.gradFn?.op).toBe('exp');
  });

  it('an op on inputs that need no gradient records nothing', () => {
    const y = mul(normal([2], 44, false), normal([2], 45, false));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('without createGraph the returned gradients carry no graph', () => {
    const x = normal([3], 46);
    const [dx] = gradients(exp(x), [x], { gradOutput: normal([3], 47, false) });
    expect(dx.gradFn).toBeNull();
    expect(dx.requiresGrad).toBe(false);
  });
});
