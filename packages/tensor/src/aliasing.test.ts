import { describe, expect, it } from 'vitest';
import { gradients } from './autograd';
import { randn, tensor } from './create';
import { broadcastShapes, broadcastIndex, sizeOf } from './shape';
import { allocate } from './dtype';
import { defineOp } from './op';
import { noGrad } from './grad-mode';
import { rng } from './random';
import { Tensor } from './tensor';
import { multiply } from './test-ops';

/** Issue 11, item 2: a gradient handed out never shares a buffer with anything else the user holds. */

/** a + b with broadcasting; its rule returns the same tensor twice, as a lazy rule would. */
const add = defineOp({
  name: 'add',
  inputNames: ['a', 'b'],
  forward([a, b]) {
    const shape = broadcastShapes('add', a.shape, b.shape);
    const ai = broadcastIndex(a.shape, shape);
    const bi = broadcastIndex(b.shape, shape);
    const out = allocate(a.dtype, sizeOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = a.data[ai[i]] + b.data[bi[i]];
    return new Tensor(out, shape);
  },
  backward: (dOut) => [dOut, dOut],
});

/** reshape as ops/reshape.ts does it: a view forward, a view of dOut backward. */
const reshape = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  inputNames: ['x'],
  forward: ([x], { shape }) => new Tensor(x.data, shape),
  backward: (dOut, { inputs: [x] }) => [new Tensor(dOut.data, x.shape)],
});

const buffers = (...tensors: (Tensor | null)[]): Set<unknown> => new Set(tensors.map((t) => t?.data));

describe('gradients never alias', () => {
  it('add(w, b).backward(cot): w.grad, b.grad and cot are three buffers', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const cot = tensor([0.5, -1]);
    add([w, b], {}).backward(cot);
    expect(buffers(w.grad, b.grad, cot).size).toBe(3);
    w.grad!.zero_();
    expect(Array.from(b.grad!.data)).toEqual([0.5, -1]);
    expect(Array.from(cot.data)).toEqual([0.5, -1]);
  });

  it('a training loop that reuses its cotangent and zeroes gradients in place keeps training', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const b = tensor([0, 0], { requiresGrad: true });
    const cot = tensor([1, 1]);
    const seen: number[][] = [];
    for (let step = 0; step < 3; step++) {
      add([w, b], {}).backward(cot);
      seen.push(Array.from(w.grad!.data));
      noGrad(() => {
        w.addScaled_(w.grad!, -0.1);
        b.addScaled_(b.grad!, -0.1);
        w.grad!.zero_();
        b.grad!.zero_();
      });
    }
    expect(seen).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(Array.from(cot.data)).toEqual([1, 1]);
  });

  it('gradients(add(x, c), [x], { gradOutput: g })[0] is not g', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const g = tensor([5, 6]);
    const [dx] = gradients(add([x, tensor([1, 1])], {}), [x], { gradOutput: g });
    expect(dx).not.toBe(g);
    expect(dx.data).not.toBe(g.data);
    expect(Array.from(dx.data)).toEqual([5, 6]);
  });

  it("reshape's backward does not share the cotangent's buffer", () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const g = tensor([
      [1, 2],
      [3, 4],
    ]);
    const [dx] = gradients(reshape([x], { shape: [2, 2] }), [x], { gradOutput: g });
    expect(dx.data).not.toBe(g.data);
    expect(dx.shape).toEqual([4]);
    expect(Array.from(dx.data)).toEqual([1, 2, 3, 4]);
  });

  it('two results of one gradients() call never share a buffer, even through views', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3, 4], { requiresGrad: true });
    const s = add([x, y], {});
    const out = multiply([s, tensor([2, 2])], {});
    const [dx, dy, ds] = gradients(out, [x, y, s], { gradOutput: tensor([1, 1]) });
    expect(buffers(dx, dy, ds).size).toBe(3);
    expect([dx, dy, ds].map((t) => Array.from(t.data))).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
  });

  it('a gradient never shares a buffer with a tensor of the graph', () => {
    const passThrough = defineOp({
      name: 'returnsInput',
      inputNames: ['x', 'k'],
      forward: ([x, k]) =>
        new Tensor(
          x.data.map((v, i) => v * k.data[i]),
          x.shape,
        ),
      backward: (_dOut, { inputs: [, k] }) => [k, null], // gradient for dOut = 1: k itself
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const k = tensor([3, 4]);
    const [dx] = gradients(passThrough([x, k], {}), [x], { gradOutput: tensor([1, 1]) });
    expect(dx.data).not.toBe(k.data);
    expect(Array.from(dx.data)).toEqual([3, 4]);
  });

  it('nor with a constant input of the graph seen through a view, once the pass has freed the graph', () => {
    // The rule wraps k's buffer in a new tensor during the pass (as a reshape would), and the pass
    // frees the node (and so forgets its inputs) before the results are handed out.
    const viewOfInput = defineOp({
      name: 'returnsViewOfInput',
      inputNames: ['x', 'k'],
      forward: ([x, k]) =>
        new Tensor(
          x.data.map((v, i) => v * k.data[i]),
          x.shape,
        ),
      backward: (_dOut, { inputs: [x, k] }) => [new Tensor(k.data, x.shape), null],
    });
    const k = tensor([3, 4]);
    const x = tensor([1, 2], { requiresGrad: true });
    viewOfInput([x, k], {}).backward(tensor([1, 1]));
    expect(x.grad!.data).not.toBe(k.data);
    const z = tensor([1, 2], { requiresGrad: true });
    const [dz] = gradients(viewOfInput([z, k], {}), [z], { gradOutput: tensor([1, 1]) });
    expect(dz.data).not.toBe(k.data);
    expect(Array.from(dz.data)).toEqual([3, 4]);
    dz.data[0] = 100; // the user's gradient is the user's: k stays as it was
    expect(Array.from(k.data)).toEqual([3, 4]);
  });

  it('copies stay differentiable with createGraph', () => {
    const x = randn([3], { rng: rng(3), requiresGrad: true });
    const g = randn([3], { rng: rng(4), requiresGrad: true });
    const [dx] = gradients(add([x, tensor([1, 1, 1])], {}), [x], { gradOutput: g, createGraph: true });
    expect(dx.data).not.toBe(g.data);
    const c = randn([3], { rng: rng(5) });
    const [dg] = gradients(dx, [g], { gradOutput: c });
    expect(Array.from(dg.data)).toEqual(Array.from(c.data));
  });
});
