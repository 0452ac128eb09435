import { describe, expect, it } from 'vitest';
import { AnomalyError, detectAnomaly } from './anomaly';
import { gradients } from './autograd';
import { ones, tensor, zeros } from './create';
import { noGrad } from './grad-mode';
import { withLabel } from './label';
import { rng } from './random';
import { randn } from './create';
import type { Tensor } from './tensor';
import { multiply, shift } from './test-ops';

const values = (t: Tensor | null): number[] => Array.from(t?.data ?? []);

describe('in-place methods', () => {
  it('change the values, return the tensor and bump the version once per call', () => {
    const x = tensor([1, 2, 3]);
    expect(x.version).toBe(0);
    expect(x.copy_(tensor([4, 5, 6]))).toBe(x);
    expect(values(x)).toEqual([4, 5, 6]);
    x.scale_(2);
    expect(values(x)).toEqual([8, 10, 12]);
    x.addScaled_(tensor([1, 1, 2]), -0.5);
    expect(values(x)).toEqual([7.5, 9.5, 11]);
    x.fill_(-Infinity);
    expect(values(x)).toEqual([-Infinity, -Infinity, -Infinity]);
    x.zero_();
    expect(values(x)).toEqual([0, 0, 0]);
    x.update_((data) => {
      data[1] = 7;
    });
    expect(values(x)).toEqual([0, 7, 0]);
    expect(x.version).toBe(6);
  });

  it('addScaled_ defaults alpha to 1; copy_ converts the dtype', () => {
    const x = tensor([1, 2]).addScaled_(tensor([0.25, 0.5]));
    expect(values(x)).toEqual([1.25, 2.5]);
    const y = zeros([2], { dtype: 'float32' }).copy_(tensor([0.1, 2]));
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([Math.fround(0.1), 2]);
  });

  it('share the version with views of the same buffer (detach)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const view = x.detach();
    view.fill_(3);
    expect(values(x)).toEqual([3, 3]);
    expect(x.version).toBe(1);
    expect(x.clone().version).toBe(0);
  });

  it('refuse a leaf that requires gradients while recording, naming the method and noGrad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.fill_(0)).toThrow(
      /^fill_: cannot change the tensor \(shape \[2\]\) in place: it is a leaf that requires gradients.*noGrad/,
    );
    expect(() => w.addScaled_(ones([2]), -0.1)).toThrow(/^addScaled_: .*noGrad/);
    expect(() => w.update_(() => undefined)).toThrow(/^update_: .*noGrad/);
    expect(values(w)).toEqual([1, 2]);
    expect(w.version).toBe(0);
    noGrad(() => w.addScaled_(ones([2]), -0.5));
    expect(values(w)).toEqual([0.5, 1.5]);
  });

  it('refuse the recorded output of an op while recording', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = shift([x], { by: 1 });
    expect(() => y.zero_()).toThrow("zero_: cannot change the tensor (shape [2]) in place: it is the recorded output of 'shift'");
  });

  it('check shapes, dtypes and argument types with errors naming the method', () => {
    const x = tensor([1, 2]);
    expect(() => x.copy_(tensor([1, 2, 3]))).toThrow('copy_: source has shape [3] but the tensor updated has shape [2]');
    expect(() => x.copy_([1, 2] as never)).toThrow('copy_: source must be a Tensor, got an array of length 2');
    expect(() => x.addScaled_(tensor([1, 2], { dtype: 'float32' }), 1)).toThrow(
      "addScaled_: other is float32 but the tensor updated is float64 (convert with .to('float64'))",
    );
    expect(() => x.addScaled_(tensor([[1, 2]]), 1)).toThrow('addScaled_: other has shape [1, 2] but the tensor updated has shape [2]');
    expect(() => x.addScaled_(tensor([1, 2]), '2' as never)).toThrow('addScaled_: alpha must be a number, got the string "2"');
    expect(() => x.fill_(undefined as never)).toThrow('fill_: value must be a number, got undefined');
    expect(() => x.scale_(null as never)).toThrow('scale_: factor must be a number, got null');
    expect(() => x.update_(5 as never)).toThrow('update_: fn must be a function of the data, got number 5');
    expect(values(x)).toEqual([1, 2]);
    expect(x.version).toBe(0);
  });

  it('update_ rejects an async function', () => {
    const x = tensor([1]);
    expect(() => x.update_((async () => undefined) as never)).toThrow(/update_: fn returned a Promise/);
  });
});

describe('backward through a tensor changed in place', () => {
  it('throws naming the op and the input (y = x ⊙ w; w changed; backward)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    w.name = 'w';
    const y = withLabel('scores', () => multiply([x, w], {}));
    noGrad(() => w.fill_(100));
    expect(() => y.backward(tensor([1, 1]))).toThrow(
      "backward of 'multiply' (stage scores): b 'w' (shape [2]) was changed in place after 'multiply' used it (version 0 then, 1 now)",
    );
    expect(x.grad).toBeNull();
  });

  it('also through gradients(), and through a view of the input', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = multiply([x, x], {});
    x.detach().scale_(2);
    expect(() => gradients(y, [x], { gradOutput: tensor([1, 1]) })).toThrow(
      /backward of 'multiply': a \(shape \[2\]\) was changed in place/,
    );
  });

  it('does not throw when the change happened before the op was recorded', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    noGrad(() => x.scale_(3));
    const [dx] = gradients(multiply([x, x], {}), [x], { gradOutput: tensor([1, 1]) });
    expect(values(dx)).toEqual([6, 12]);
  });

  it('detectAnomaly catches a raw write to .data of a saved input, naming the op and the input', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    w.name = 'w';
    detectAnomaly(() => {
      const y = multiply([x, w], {});
      w.data[0] = 100;
      let caught: unknown;
      try {
        y.backward(tensor([1, 1]));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AnomalyError);
      expect((caught as AnomalyError).op).toBe('multiply');
      expect((caught as Error).message).toMatch(
        /^backward of 'multiply': the values of b 'w' \(shape \[2\]\) were overwritten \(through \.data\)/,
      );
    });
  });

  it('detectAnomaly passes when the saved values are unchanged', () => {
    const x = randn([3], { rng: rng(1), requiresGrad: true });
    const c = randn([3], { rng: rng(2) });
    const [dx] = detectAnomaly(() => gradients(multiply([x, x], {}), [x], { gradOutput: c }));
    expect(values(dx)).toEqual(values(x).map((v, i) => 2 * v * c.data[i]));
  });
});
