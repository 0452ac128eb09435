import { describe, expect, it } from 'vitest';
import { gradients, topologicalOrder } from './autograd';
import { randn, tensor, zeros } from './create';
import { noGrad } from './grad-mode';
import { withLabel } from './label';
import { defineOp } from './op';
import { broadcastTo, sumToShape } from './primitives';
import { rng } from './random';
import { Tensor } from './tensor';
import { multiply, shift } from './test-ops';

const values = (t: Tensor | null): number[] => Array.from(t?.data ?? []);
const dot = (a: Tensor, b: Tensor): number => values(a).reduce((total, v, i) => total + v * b.data[i], 0);

describe('backward', () => {
  it('leaves the vector-Jacobian product in .grad (y = a ⊙ b, dA = c ⊙ b)', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    multiply([a, b], {}).backward(tensor([0.5, -1, 2]));
    expect(values(a.grad)).toEqual([2, -5, 12]);
    expect(values(b.grad)).toEqual([0.5, -2, 6]);
  });

  it('accumulates over a tensor used twice (y = x ⊙ x gives 2x ⊙ c)', () => {
    const x = tensor([1.5, -2], { requiresGrad: true });
    multiply([x, x], {}).backward(tensor([3, 0.25]));
    expect(values(x.grad)).toEqual([9, -1]);
  });

  it('accumulates into .grad across two backward calls', () => {
    const x = tensor([2], { requiresGrad: true });
    multiply([x, x], {}).backward();
    multiply([x, x], {}).backward();
    expect(values(x.grad)).toEqual([8]);
  });

  it('sums a gradient back over broadcast axes, once, in the engine', () => {
    const column = tensor([[1], [2], [3]], { requiresGrad: true });
    const row = tensor([[10, 20]], { requiresGrad: true });
    multiply([column, row], {}).backward(
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    expect(column.grad?.shape).toEqual([3, 1]);
    expect(values(column.grad)).toEqual([1 * 10 + 2 * 20, 3 * 10 + 4 * 20, 5 * 10 + 6 * 20]);
    expect(values(row.grad)).toEqual([1 * 1 + 3 * 2 + 5 * 3, 2 * 1 + 4 * 2 + 6 * 3]);
  });

  it('walks a chain of 100,000 ops without overflowing the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = shift([y], { by: 1e-5 });
    y.backward(tensor([3]));
    expect(values(x.grad)).toEqual([3]);
    expect(y.item()).toBeCloseTo(2, 8);
  }, 60_000); // a correctness test of a deep graph: no speed is asserted, so a loaded machine gets time

  it('asks for gradOutput when the output is not a scalar', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => multiply([x, x], {}).backward()).toThrow(
      'backward: gradOutput is required because the output is not a scalar (shape [2])',
    );
  });

  it('rejects a gradOutput of the wrong shape or dtype', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = multiply([x, x], {});
    expect(() => y.backward(zeros([3]), { retainGraph: true })).toThrow('backward: gradOutput has shape [3] but the output has shape [2]');
    expect(() => y.backward(zeros([2], { dtype: 'float32' }))).toThrow('backward: gradOutput is float32 but the output is float64');
    expect(x.grad).toBeNull();
  });

  it('frees the graph after backward unless retainGraph is set', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const kept = multiply([x, x], {});
    kept.backward(tensor([1, 1]), { retainGraph: true });
    kept.backward(tensor([1, 1]));
    expect(values(x.grad)).toEqual([4, 8]);
    expect(() => kept.backward(tensor([1, 1]))).toThrow("backward: the graph through 'multiply' was freed by an earlier backward pass");
  });

  it('says when nothing requires gradients', () => {
    expect(() => multiply([tensor([1]), tensor([2])], {}).backward()).toThrow(
      'backward: the output (shape [1]) does not require gradients',
    );
  });

  it('leaves every .grad as it was when a rule fails midway', () => {
    const broken = defineOp({
      name: 'broken',
      inputNames: ['x'],
      forward: ([x]) => new Tensor(x.data.slice(), x.shape),
      backward: () => {
        throw new Error('broken rule');
      },
    });
    const x = tensor([1], { requiresGrad: true });
    const w = tensor([2], { requiresGrad: true });
    w.grad = tensor([7]);
    expect(() => multiply([broken([x], {}), w], {}).backward()).toThrow('broken rule');
    expect(values(w.grad)).toEqual([7]);
    expect(x.grad).toBeNull();
  });
});

describe('gradients', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([3], { requiresGrad: true });
    const [dx] = gradients(multiply([x, x], {}), [x]);
    expect(values(dx)).toEqual([6]);
    expect(x.grad).toBeNull();
  });

  it('differentiates with respect to an intermediate tensor', () => {
    const x = tensor([3], { requiresGrad: true });
    const h = multiply([x, x], {});
    const y = multiply([h, tensor([5])], {});
    const [dh, dx] = gradients(y, [h, x]);
    expect(values(dh)).toEqual([5]);
    expect(values(dx)).toEqual([30]);
  });

  it('gives zeros for an input the output does not depend on with allowUnused', () => {
    const x = tensor([1], { requiresGrad: true });
    const unused = tensor([[1, 2]], { requiresGrad: true });
    const [, dUnused] = gradients(multiply([x, x], {}), [x, unused], { allowUnused: true });
    expect(dUnused.shape).toEqual([1, 2]);
    expect(values(dUnused)).toEqual([0, 0]);
  });

  it('computes higher-order gradients with createGraph (d³/dx³ of x³ = 6)', () => {
    const x = tensor([2], { requiresGrad: true });
    const cube = multiply([multiply([x, x], {}), x], {});
    const [first] = gradients(cube, [x], { createGraph: true });
    const [second] = gradients(first, [x], { createGraph: true });
    const [third] = gradients(second, [x]);
    expect([first.item(), second.item(), third.item()]).toEqual([12, 12, 6]);
  });

  it('records no graph for gradients unless createGraph is set', () => {
    const x = tensor([2], { requiresGrad: true });
    const [dx] = gradients(multiply([x, x], {}), [x]);
    expect(dx.requiresGrad).toBe(false);
    expect(dx.gradFn).toBeNull();
  });

  it('rejects inputs that do not require gradients', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(() => gradients(multiply([x, x], {}), [tensor([1])])).toThrow('gradients: inputs[0] (shape [1]) does not require gradients');
  });
});

describe('recording', () => {
  it('noGrad records nothing', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => multiply([x, x], {}));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('records op names, inputs and labels', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = withLabel('stage', () => multiply([x, x], {}));
    expect(y.gradFn?.op).toBe('multiply');
    expect(y.gradFn?.label).toBe('stage');
    expect(y.gradFn?.inputs).toEqual([x, x]);
    expect(topologicalOrder(y)).toEqual([x, y]);
  });

  it('checks the inputs of a defined op', () => {
    expect(() => multiply([tensor([1])], {})).toThrow('multiply: expects 2 tensor inputs (a, b), got 1');
    expect(() => multiply([tensor([1]), [1] as never], {})).toThrow('multiply: b must be a Tensor, got an array of length 1');
    expect(() => multiply([tensor([1]), tensor([1], { dtype: 'float32' })], {})).toThrow(
      'multiply: inputs must share one dtype: a is float64 [1], b is float32 [1]',
    );
  });
});

describe('broadcastTo and sumToShape', () => {
  it('are adjoint: <broadcastTo(x), y> = <x, sumToShape(y)>', () => {
    const generator = rng(11);
    for (const [small, big] of [
      [
        [3, 1],
        [2, 3, 4],
      ],
      [[4], [3, 4]],
      [
        [1, 1],
        [5, 2],
      ],
      [[], [2, 2]],
    ] as const) {
      const x = randn(small, { rng: generator });
      const y = randn(big, { rng: generator });
      const left = dot(broadcastTo(x, big), y);
      const right = dot(sumToShape(y, small), x);
      expect(Math.abs(left - right)).toBeLessThan(1e-12 * (1 + Math.abs(left)));
    }
  });

  it('refuse shapes that do not broadcast', () => {
    expect(() => broadcastTo(zeros([3]), [4])).toThrow('broadcastTo: shape [3] does not broadcast to [4]');
    expect(() => sumToShape(zeros([2, 3]), [4])).toThrow('sumToShape: shape [4] does not broadcast to [2, 3]');
  });
});

describe('freeing the graph', () => {
  it('gradients() with respect to an intermediate does not run or free the part upstream of it', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = multiply([x, x], {});
    const z = multiply([y, tensor([3])], {});
    const [dy] = gradients(z, [y]);
    expect(values(dy)).toEqual([3]);
    y.backward(tensor([1]));
    expect(values(x.grad)).toEqual([4]);
  });

  it('refuses to pass through a freed node instead of returning zeros', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = multiply([x, x], {});
    const z = multiply([y, y], {});
    gradients(z, [y]);
    expect(() => gradients(z, [x])).toThrow("gradients: the graph through 'multiply' was freed");
  });

  it('a forward that returns its own input does not rewire the input', () => {
    const identity = defineOp({ name: 'identity', inputNames: ['x'], forward: ([x]) => x, backward: (dOut) => [dOut] });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = identity([x], {});
    expect(y).not.toBe(x);
    expect(x.gradFn).toBeNull();
    expect(y.gradFn?.inputs).toEqual([x]);
  });

  it('names a gradient rule that returns the wrong shape', () => {
    const badShape = defineOp({
      name: 'badShape',
      inputNames: ['x'],
      forward: ([x]) => new Tensor(x.data.slice(), x.shape),
      backward: () => [zeros([3])],
    });
    expect(() => badShape([tensor([1, 2], { requiresGrad: true })], {}).backward(tensor([1, 1]))).toThrow(
      'badShape: the gradient rule returned shape [3] for input 0 of shape [2], which cannot be summed back to it',
    );
  });
});

describe('variadic ops', () => {
  const total = defineOp({
    name: 'total',
    inputNames: ['tensors...'],
    forward: (inputs) =>
      new Tensor(
        inputs.reduce((sum, t) => sum.map((v, i) => v + t.data[i]), new Float64Array(inputs[0].size)),
        inputs[0].shape,
      ),
    backward: (dOut, { inputs }) => inputs.map(() => dOut),
  });

  it('take any number of inputs and give each its gradient', () => {
    const [a, b, c] = [1, 2, 3].map((v) => tensor([v], { requiresGrad: true }));
    total([a, b, c], {}).backward(tensor([2]));
    expect([a, b, c].map((t) => t.grad?.item())).toEqual([2, 2, 2]);
  });

  it('name the offending input by its index', () => {
    expect(() => total([], {})).toThrow('total: expects 1 tensor inputs (tensors...), got 0');
    expect(() => total([tensor([1]), 3 as never], {})).toThrow('total: tensors[1] must be a Tensor, got number 3');
  });
});

describe('gradFn.recompute', () => {
  it('recomputes a recorded node from new inputs with its attrs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = shift([x], { by: 3 });
    const again = y.gradFn!.recompute([tensor([10, 20])]);
    expect(values(again)).toEqual([13, 23]);
  });
});
