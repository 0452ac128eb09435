import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tensor, randn, rng, tensor, defineOp } from '@attograd/tensor';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { SGD } from './sgd';
import type { Optimizer } from './optimizer';

const param = (values: number[], name?: string) => {
  const p = tensor(values, { requiresGrad: true });
  p.name = name;
  return p;
};
const withGrad = (p: Tensor, grad: number[]) => {
  p.grad = tensor(grad, { dtype: p.dtype });
  return p;
};

// A recorded op, to make a non-leaf tensor without depending on @attograd/ops.
const double = defineOp({
  name: 'double',
  inputNames: ['x'],
  forward: ([x]) =>
    new Tensor(
      x.data.map((v) => 2 * v),
      x.shape,
    ),
  backward: (dOut) => [dOut],
});

describe('SGD by hand', () => {
  it('plain: p ← p − η·g', () => {
    const p = withGrad(param([1, -2]), [0.5, 4]);
    new SGD([p], { lr: 0.1 }).step();
    expect(Array.from(p.data)).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * 4]);
  });

  it('momentum: the buffer starts as the first gradient, then b ← μb + (1 − τ)g', () => {
    const p = withGrad(param([0]), [1]);
    const optimizer = new SGD([p], { lr: 1, momentum: 0.5, dampening: 0.5 });
    optimizer.step(); // b = 1 (no dampening on the first step), p = −1
    expect(p.data[0]).toBe(-1);
    p.grad = tensor([2]);
    optimizer.step(); // b = 0.5·1 + 0.5·2 = 1.5, p = −2.5
    expect(p.data[0]).toBe(-2.5);
    expect((optimizer.state.get(p)!.momentumBuffer as Tensor).data[0]).toBe(1.5);
  });

  it('Nesterov: d = g + μ·b', () => {
    const p = withGrad(param([0]), [1]);
    new SGD([p], { lr: 1, momentum: 0.9, nesterov: true }).step(); // b = 1, d = 1 + 0.9
    expect(p.data[0]).toBeCloseTo(-1.9, 15);
  });

  it('weight decay adds λ·p to the gradient', () => {
    const p = withGrad(param([2]), [0]);
    new SGD([p], { lr: 0.5, weightDecay: 0.1 }).step();
    expect(p.data[0]).toBeCloseTo(2 - 0.5 * 0.1 * 2, 15);
  });
});

describe('Adam and AdamW by hand', () => {
  it('the first Adam step moves every coordinate by lr·sign(g) when eps = 0 (m̂ / √v̂ = g / |g|)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((g) => Math.abs(g) > 1e-6),
          { minLength: 1, maxLength: 8 },
        ),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        (grads, lr) => {
          const p = withGrad(param(grads.map(() => 0)), grads);
          new Adam([p], { lr, eps: 0 }).step();
          grads.forEach((g, i) => expect(p.data[i]).toBeCloseTo(-lr * Math.sign(g), 12));
        },
      ),
    );
  });

  it('AdamW decays the parameter by (1 − ηλ) before the step; Adam adds λp to the gradient instead', () => {
    const zeroGradStep = (make: (p: Tensor) => Optimizer) => {
      const p = withGrad(param([10]), [0]);
      make(p).step();
      return p.data[0];
    };
    // With g = 0: AdamW only shrinks; Adam's L2 term becomes a gradient of 1 and moves p by lr.
    expect(zeroGradStep((p) => new AdamW([p], { lr: 0.1, weightDecay: 0.01 }))).toBeCloseTo(10 * (1 - 0.1 * 0.01), 14);
    expect(zeroGradStep((p) => new Adam([p], { lr: 0.1, weightDecay: 0.1, eps: 0 }))).toBeCloseTo(10 - 0.1, 14);
  });

  it('AdamW defaults to weight decay 1e-2, Adam to 0, as PyTorch', () => {
    expect(new AdamW([param([1])]).defaults.weightDecay).toBe(1e-2);
    expect(new Adam([param([1])]).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
  });

  it('amsgrad keeps the running maximum of v', () => {
    const p = withGrad(param([0]), [10]);
    const optimizer = new Adam([p], { amsgrad: true, betas: [0.5, 0.5] });
    optimizer.step();
    p.grad = tensor([0]);
    optimizer.step();
    const state = optimizer.state.get(p)!;
    expect((state.expAvgSq as Tensor).data[0]).toBe(25); // 0.5·50
    expect((state.maxExpAvgSq as Tensor).data[0]).toBe(50);
    expect(state.step).toBe(2);
  });

  it('updates float32 parameters in float32, close to the float64 run', () => {
    const values = randn([50], { rng: rng(3) });
    const grads = Array.from({ length: 5 }, (_, k) => randn([50], { rng: rng(10 + k) }));
    const run = (dtype: 'float32' | 'float64') => {
      const p = values.to(dtype);
      p.requiresGrad = true;
      const optimizer = new AdamW([p], { lr: 0.01 });
      for (const g of grads) {
        p.grad = g.to(dtype);
        optimizer.step();
      }
      return p;
    };
    const single = run('float32');
    const double = run('float64');
    expect(single.dtype).toBe('float32');
    expect((single.data as Float32Array) instanceof Float32Array).toBe(true);
    for (let i = 0; i < 50; i++) expect(Math.abs(single.data[i] - double.data[i])).toBeLessThan(1e-6);
  });
});

describe('step', () => {
  it('changes parameters in place, bumps their version, records no graph and keeps them leaves', () => {
    const p = withGrad(param([1, 2]), [1, 1]);
    const data = p.data;
    const before = p.version;
    new AdamW([p], { lr: 0.1 }).step();
    expect(p.data).toBe(data);
    expect(p.version).toBe(before + 1);
    expect(p.gradFn).toBeNull();
    expect(p.requiresGrad).toBe(true);
  });

  it('makes a graph recorded before the step refuse to backpropagate through the changed parameter', () => {
    const p = withGrad(param([1, 2]), [1, 1]);
    const y = double([p], {}); // the recorded op remembers p's version
    new SGD([p], { lr: 0.1 }).step();
    expect(() => y.backward(tensor([1, 1]))).toThrow("backward of 'double'");
  });

  it('bumps the version of the state buffers it changes', () => {
    const p = withGrad(param([1]), [1]);
    const optimizer = new SGD([p], { lr: 0.1, momentum: 0.9 });
    optimizer.step();
    const buffer = optimizer.state.get(p)!.momentumBuffer as Tensor;
    const version = buffer.version;
    optimizer.step();
    expect(buffer.version).toBe(version + 1);
  });

  it('skips parameters without a gradient and creates no state for them', () => {
    const a = withGrad(param([1]), [1]);
    const b = param([5]);
    const optimizer = new Adam([a, b], { lr: 0.1 });
    optimizer.step();
    expect(b.data[0]).toBe(5);
    expect(optimizer.state.has(b)).toBe(false);
    expect(optimizer.state.get(a)?.step).toBe(1);
  });

  it('returns the closure’s result, evaluated with recording on', () => {
    const p = withGrad(param([1]), [1]);
    const optimizer = new SGD([p], { lr: 0.1 });
    expect(optimizer.step(() => 42)).toBe(42);
    expect(optimizer.step()).toBeUndefined();
  });

  it('refuses a gradient of the wrong shape or dtype, naming the parameter, and changes nothing', () => {
    const a = withGrad(param([1, 2]), [1, 1]);
    const b = withGrad(param([3, 4, 5], 'bias'), [1, 1, 1]);
    const optimizer = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
    b.grad = tensor([1, 1]);
    expect(() => optimizer.step()).toThrow("SGD.step: the gradient of parameter 1 ('bias', shape [3], float64) has shape [2]");
    expect(Array.from(a.data)).toEqual([1, 2]);
    expect(optimizer.state.size).toBe(0);
    b.grad = tensor([1, 1, 1], { dtype: 'float32' });
    expect(() => optimizer.step()).toThrow('is float32');
  });

  it('checks options again at every step (a schedule or a user may have changed them) before changing anything', () => {
    const a = withGrad(param([1]), [1]);
    const b = withGrad(param([2]), [1]);
    const optimizer = new Adam([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    optimizer.paramGroups[1].lr = Number.NaN;
    expect(() => optimizer.step()).toThrow('Adam: lr of parameter group 1 must be a finite number ≥ 0, got NaN');
    expect(a.data[0]).toBe(1);
  });
});

describe('parameter groups', () => {
  it('fill each group’s missing options from the defaults', () => {
    const a = param([1]);
    const b = param([2]);
    const optimizer = new SGD([{ params: [a] }, { params: b, lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    expect(optimizer.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0 });
    expect(optimizer.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9 });
    expect(optimizer.paramGroups[1].params).toEqual([b]);
  });

  it('addParamGroup adds parameters with their own options, but never one twice', () => {
    const a = param([1]);
    const optimizer = new AdamW([a]);
    optimizer.addParamGroup({ params: [param([2])], weightDecay: 0 });
    expect(optimizer.paramGroups[1].weightDecay).toBe(0);
    expect(() => optimizer.addParamGroup({ params: [a] })).toThrow(
      'AdamW: params[0] of parameter group 2 (shape [1], float64) appears more than once',
    );
  });

  it('SGD needs an lr, in the options or in every group', () => {
    expect(() => new SGD([param([1])])).toThrow('SGD: lr is required');
    expect(new SGD([{ params: [param([1])], lr: 0.1 }]).paramGroups[0].lr).toBe(0.1);
  });
});

describe('errors name the optimizer, the argument and the value', () => {
  const p = () => param([1]);
  const cases: [string, () => unknown, string][] = [
    ['negative lr', () => new SGD([p()], { lr: -1 }), 'SGD: lr must be a finite number ≥ 0, got -1'],
    ['infinite lr', () => new Adam([p()], { lr: Infinity }), 'Adam: lr must be a finite number ≥ 0, got Infinity'],
    ['lr as a string', () => new Adam([p()], { lr: '0.1' as never }), 'Adam: lr must be a number, got the string "0.1"'],
    ['negative momentum', () => new SGD([p()], { lr: 0.1, momentum: -0.9 }), 'SGD: momentum must be a finite number ≥ 0, got -0.9'],
    ['negative weight decay', () => new AdamW([p()], { weightDecay: -0.1 }), 'AdamW: weightDecay must be a finite number ≥ 0, got -0.1'],
    [
      'Nesterov without momentum',
      () => new SGD([p()], { lr: 0.1, nesterov: true }),
      'SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0',
    ],
    ['Nesterov with dampening', () => new SGD([p()], { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }), 'dampening 0.1'],
    ['beta1 = 1', () => new Adam([p()], { betas: [1, 0.999] }), 'Adam: betas[0] must be in [0, 1), got 1'],
    ['beta2 < 0', () => new AdamW([p()], { betas: [0.9, -0.1] }), 'AdamW: betas[1] must be in [0, 1), got -0.1'],
    [
      'betas not a pair',
      () => new Adam([p()], { betas: [0.9] as never }),
      'Adam: betas must be an array of two numbers [β₁, β₂], got an array of length 1',
    ],
    ['negative eps', () => new Adam([p()], { eps: -1e-8 }), 'Adam: eps must be a finite number ≥ 0, got -1e-8'],
    ['amsgrad not boolean', () => new Adam([p()], { amsgrad: 1 as never }), 'Adam: amsgrad must be true or false, got number 1'],
    [
      'option in snake_case',
      () => new AdamW([p()], { weight_decay: 0.1 } as never),
      "AdamW: unknown option 'weight_decay' in the options; the options are 'lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'",
    ],
    [
      'bad option in a group',
      () => new Adam([{ params: [p()] }, { params: [p()], lr: -2 }]),
      'Adam: lr of parameter group 1 must be a finite number ≥ 0, got -2',
    ],
    [
      'a single tensor',
      () => new Adam(p() as never),
      'Adam: params must be an array of tensors or of parameter groups ({ params, ...options }), got a Tensor of shape [1]',
    ],
    ['no parameters', () => new Adam([]), 'Adam: params is empty'],
    [
      'a non-tensor',
      () => new SGD([p(), [1, 2] as never], { lr: 0.1 }),
      'SGD: params mixes tensors and other values: params[1] is an array of length 2',
    ],
    [
      'a non-leaf',
      () => new SGD([double([p()], {})], { lr: 0.1 }),
      "SGD: params[0] (shape [1], float64) is the output of 'double', not a leaf",
    ],
    [
      'the same tensor twice',
      () => {
        const q = p();
        return new SGD([q, q], { lr: 0.1 });
      },
      'SGD: params[1] (shape [1], float64) appears more than once',
    ],
    [
      'a group that is not an object',
      () => new SGD([{ params: [p()] }, 3 as never], { lr: 0.1 }),
      'SGD: parameter group 1 must be an object { params, ...options }, got number 3',
    ],
    [
      'an int32 tensor',
      () => new AdamW([tensor([1, 2], { dtype: 'int32' })]),
      'AdamW: params[0] (shape [2], int32) is not floating-point: only float32 and float64 tensors can be optimized',
    ],
    ['an empty group', () => new SGD([{ params: [] }], { lr: 0.1 }), 'SGD: parameter group 0 has no parameters'],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => expect(make).toThrow(message));
  }
});
