import { describe, expect, it } from 'vitest';
import { AnomalyError, detectAnomaly } from './anomaly';
import { randn, tensor } from './create';
import { hvp, jvp } from './higher-order';
import { withLabel } from './label';
import { defineOp } from './op';
import { rng } from './random';
import { Tensor } from './tensor';
import { multiply } from './test-ops';

const values = (t: Tensor): number[] => Array.from(t.data);
const dot = (a: Tensor, b: Tensor): number => values(a).reduce((total, v, i) => total + v * b.data[i], 0);
const close = (actual: number[], expected: number[]): void =>
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-12 * (1 + Math.abs(expected[i]))));

describe('jvp', () => {
  it('gives the directional derivative of a ⊙ b: ta ⊙ b + a ⊙ tb', () => {
    const generator = rng(1);
    const [a, b, ta, tb] = [0, 1, 2, 3].map(() => randn([2, 3], { rng: generator }));
    const { output, tangent } = jvp((p, q) => multiply([p, q], {}), [a, b], [ta, tb]);
    close(
      values(output),
      values(a).map((v, i) => v * b.data[i]),
    );
    close(
      values(tangent),
      values(a).map((v, i) => ta.data[i] * b.data[i] + v * tb.data[i]),
    );
  });

  it('agrees with the VJP: ⟨J t, c⟩ = ⟨t, Jᵀ c⟩', () => {
    const generator = rng(2);
    const [a, b, w] = [0, 1, 2].map(() => randn([3, 4], { rng: generator }));
    const [ta, tb, tw] = [0, 1, 2].map(() => randn([3, 4], { rng: generator }));
    const c = randn([3, 4], { rng: generator });
    const f = (p: Tensor, q: Tensor, r: Tensor): Tensor => multiply([multiply([p, q], {}), multiply([r, p], {})], {});
    const { tangent } = jvp(f, [a, b, w], [ta, tb, tw]);
    const leaves = [a, b, w].map((t) => new Tensor(t.data, t.shape, { requiresGrad: true }));
    f(leaves[0], leaves[1], leaves[2]).backward(c);
    const right = dot(ta, leaves[0].grad!) + dot(tb, leaves[1].grad!) + dot(tw, leaves[2].grad!);
    expect(Math.abs(dot(tangent, c) - right)).toBeLessThan(1e-12 * (1 + Math.abs(right)));
  });

  it('checks that tangents match the inputs', () => {
    expect(() => jvp((x) => x, [tensor([1, 2])], [tensor([1])])).toThrow('jvp: tangents[0] has shape [1] but inputs[0] has shape [2]');
    expect(() => jvp((x) => x, [tensor([1])], [])).toThrow('jvp: tangents must hold one tensor per input (1)');
  });
});

describe('hvp', () => {
  it('of L = ⟨x³, c⟩ along v is 6·x ⊙ c ⊙ v (the Hessian is diagonal)', () => {
    const generator = rng(3);
    const [x, c, v] = [0, 1, 2].map(() => randn([5], { rng: generator }));
    const cube = (p: Tensor): Tensor => multiply([multiply([p, p], {}), p], {});
    const [hv] = hvp(cube, [x], [v], { cotangent: c });
    close(
      values(hv),
      values(x).map((xi, i) => 6 * xi * c.data[i] * v.data[i]),
    );
  });

  it('of L = ⟨a ⊙ b, c⟩ mixes the inputs: H·(va, vb) = (c ⊙ vb, c ⊙ va)', () => {
    const generator = rng(4);
    const [a, b, c, va, vb] = [0, 1, 2, 3, 4].map(() => randn([4], { rng: generator }));
    const [ha, hb] = hvp((p, q) => multiply([p, q], {}), [a, b], [va, vb], { cotangent: c });
    close(
      values(ha),
      values(c).map((ci, i) => ci * vb.data[i]),
    );
    close(
      values(hb),
      values(c).map((ci, i) => ci * va.data[i]),
    );
  });
});

describe('detectAnomaly', () => {
  const reciprocal = defineOp({
    name: 'reciprocal',
    inputNames: ['x'],
    forward: ([x]) =>
      new Tensor(
        x.data.map((v) => 1 / v),
        x.shape,
      ),
    backward: (dOut, { output }) => [
      multiply(
        [
          multiply([dOut, output], {}),
          new Tensor(
            output.data.map((v) => -v),
            output.shape,
          ),
        ],
        {},
      ),
    ],
  });
  const rootOp = defineOp({
    name: 'root',
    inputNames: ['x'],
    forward: ([x]) => new Tensor(x.data.map(Math.sqrt), x.shape),
    // d√x/dx = 1/(2√x): infinite at 0 although the forward value is finite.
    backward: (dOut, { output }) => [
      multiply(
        [
          dOut,
          new Tensor(
            output.data.map((v) => 1 / (2 * v)),
            output.shape,
          ),
        ],
        {},
      ),
    ],
  });

  it('names the op, its stage and the element whose forward value is not finite', () => {
    const x = tensor([1, 0, 2], { requiresGrad: true });
    let caught: unknown;
    try {
      detectAnomaly(() => withLabel('scaling', () => reciprocal([x], {})));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnomalyError);
    const anomaly = caught as AnomalyError;
    expect(anomaly.message).toBe(
      "forward: 'reciprocal' (stage scaling) produced Infinity in its output [3] at [1] from finite inputs tensor [3]",
    );
    expect([anomaly.op, anomaly.label, anomaly.phase]).toEqual(['reciprocal', 'scaling', 'forward']);
    expect(anomaly.inputs[0]).toBe(x);
  });

  it('names the op whose gradient rule turns a finite gradient into Infinity', () => {
    const x = tensor([4, 0], { requiresGrad: true });
    expect(() => detectAnomaly(() => rootOp([x], {}).backward(tensor([1, 1])))).toThrow(
      "backward: 'root' produced Infinity in the gradient of input 0 [2] at [1] from finite gradient tensor [2]",
    );
    expect(x.grad).toBeNull();
  });

  it('stays silent outside detectAnomaly and on inputs that were already non-finite', () => {
    expect(() => reciprocal([tensor([0])], {})).not.toThrow();
    expect(() => detectAnomaly(() => reciprocal([tensor([Infinity, 0])], {}))).not.toThrow();
  });
});
