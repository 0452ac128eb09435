import { describe, expect, it } from 'vitest';
import { gradients } from './autograd';
import { randn, tensor } from './create';
import { noGrad } from './grad-mode';
import { withLabel } from './label';
import { rng } from './random';
import { multiply, shift } from './test-ops';

/** Issue 11, item 3: gradients() with respect to an input the output does not depend on. */
describe('unused inputs', () => {
  it('throw by default, naming the position, the name and the shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([[1, 2]], { requiresGrad: true });
    w.name = 'w';
    expect(() => gradients(multiply([x, x], {}), [x, w], { gradOutput: tensor([1, 1]) })).toThrow(
      "gradients: inputs[1] 'w' (shape [1, 2]) was not used to compute the output, so it has no gradient",
    );
    expect(() => gradients(multiply([x, x], {}), [w, x], { gradOutput: tensor([1, 1]) })).toThrow(/allowUnused: true/);
  });

  it('name the stage label of an unused intermediate', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = withLabel('scores', () => shift([x], { by: 1 }));
    expect(() => gradients(multiply([x, x], {}), [h], { gradOutput: tensor([1, 1]) })).toThrow(
      'gradients: inputs[0] (shape [2], stage scores) was not used',
    );
  });

  it('leave the graph intact when they throw (nothing ran or was freed)', () => {
    const x = tensor([3], { requiresGrad: true });
    const other = tensor([1], { requiresGrad: true });
    const y = multiply([x, x], {});
    expect(() => gradients(y, [other])).toThrow(/not used/);
    const [dx] = gradients(y, [x]);
    expect(Array.from(dx.data)).toEqual([6]);
  });

  it('catch differentiating through a copy made under noGrad', () => {
    const x = randn([3], { rng: rng(1), requiresGrad: true });
    const copy = noGrad(() => x.clone());
    copy.requiresGrad = true;
    expect(() => gradients(multiply([copy, copy], {}), [x], { gradOutput: randn([3], { rng: rng(2) }) })).toThrow(/inputs\[0\].*not used/);
  });

  it('give zeros of the right shape and dtype with allowUnused', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([[1, 2, 3]], { requiresGrad: true, dtype: 'float32' });
    const [, dw] = gradients(multiply([x, x], {}), [x, w], { gradOutput: tensor([1, 1]), allowUnused: true });
    expect(dw.shape).toEqual([1, 3]);
    expect(dw.dtype).toBe('float32');
    expect(Array.from(dw.data)).toEqual([0, 0, 0]);
  });
});

describe('clone()', () => {
  it('is recorded, with the identity as gradient (PyTorch: CloneBackward)', () => {
    const x = randn([3], { rng: rng(3), requiresGrad: true });
    const copy = x.clone();
    expect(copy.gradFn?.op).toBe('clone');
    expect(copy.data).not.toBe(x.data);
    const c = randn([3], { rng: rng(4) });
    const [dx] = gradients(multiply([copy, x], {}), [x], { gradOutput: c });
    expect(Array.from(dx.data)).toEqual(Array.from(x.data).map((v, i) => 2 * v * c.data[i]));
  });

  it('is a plain copy under noGrad or for a tensor that needs no gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(noGrad(() => x.clone()).gradFn).toBeNull();
    expect(noGrad(() => x.clone()).requiresGrad).toBe(false);
    expect(tensor([1]).clone().requiresGrad).toBe(false);
  });
});
