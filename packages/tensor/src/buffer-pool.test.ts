import { afterEach, describe, expect, it } from 'vitest';
import { gradients, topologicalOrder } from './autograd';
import { allocationStats, DEFAULT_POOL_LIMIT, POOLED_MIN_ELEMENTS, releaseBuffer, setBufferPoolLimit } from './buffer-pool';
import { randn } from './create';
import { allocate, allocateForOverwrite, type DType, type TensorData } from './dtype';
import { addGradients, broadcastTo, clone, sumToShape } from './primitives';
import { defineOp } from './op';
import { rng } from './random';
import { Tensor } from './tensor';
import { multiply, shift } from './test-ops';

/**
 * The buffer pool reuses the buffers of intermediate gradients once the backward driver has
 * proved them dead. The promise: no tensor a user can hold ever changes because of a reuse. These
 * tests keep every tensor they can reach (forward values, intermediate gradients that are
 * results, gradients in `.grad` and returned by `gradients()`), snapshot their values, run more
 * steps that allocate heavily, and check nothing moved; and they check that the pool was used at
 * all, so the promise is not vacuous.
 */

const N = 2 * POOLED_MIN_ELEMENTS; // large enough to be pooled

/** a + b; its rule returns dOut twice (as add's real rule does). */
const add = defineOp(
  {
    name: 'add',
    inputNames: ['a', 'b'],
    forward([a, b]) {
      const out = allocate(a.dtype, a.size);
      for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i];
      return new Tensor(out, a.shape);
    },
    backward: (dOut) => [dOut, dOut],
  },
  { keepsNoGradients: true },
);

/** A view of x (the same buffer); its rule returns a view of dOut. */
const view = defineOp<{ shape: readonly number[] }>(
  {
    name: 'view',
    inputNames: ['x'],
    forward: ([x], { shape }) => new Tensor(x.data, shape),
    backward: (dOut, { inputs: [x] }) => [new Tensor(dOut.data, x.shape)],
  },
  { keepsNoGradients: true },
);

/** A small network with shared operands, identity and view rules: y = ((x·w + x)·w + shift(x·w)) viewed. */
function network(x: Tensor, w: Tensor): Tensor {
  const a = multiply([x, w], {});
  const b = add([a, x], {});
  const c = multiply([b, w], {});
  const d = add([c, shift([a], { by: 1 })], {});
  const e = view([d], { shape: [2, N / 2] });
  return multiply([view([e], { shape: [N] }), add([d, d], {})], {});
}

const snapshot = (tensors: Tensor[]) => tensors.map((t) => Float64Array.from(t.data));

afterEach(() => setBufferPoolLimit(DEFAULT_POOL_LIMIT));

describe('buffer pool', () => {
  it('reuses dead intermediate gradients, and no held tensor or gradient ever differs from a run without the pool', () => {
    /** Steps that keep everything; returns the values of all held tensors after each step and at the end. */
    const run = (): Float64Array[][] => {
      const random = rng(1);
      const held: Tensor[] = [];
      const seen: Float64Array[][] = [];
      for (let step = 0; step < 6; step++) {
        const x = randn([N], { rng: random, requiresGrad: true });
        const w = randn([N], { rng: random, requiresGrad: true });
        const y = network(x, w);
        const cotangent = randn([N], { rng: random });
        const values = topologicalOrder(y);
        // The gradients of x, w and of two intermediate nodes (results too), and via backward().
        const intermediate = values.filter((t) => t.gradFn !== null && t !== y).slice(0, 2);
        const grads = gradients(y, [x, w, ...intermediate], { gradOutput: cotangent, retainGraph: true });
        y.backward(cotangent);
        held.push(...values, ...grads, x.grad!, w.grad!, cotangent);
        seen.push(snapshot(held));
        // More passes, all allocating and releasing buffers of the same size.
        for (let more = 0; more < 3; more++) {
          const z = network(randn([N], { rng: random, requiresGrad: true }), w);
          gradients(z, [w], { gradOutput: randn([N], { rng: random }) });
        }
      }
      seen.push(snapshot(held));
      return seen;
    };
    setBufferPoolLimit(0);
    const off = run();
    setBufferPoolLimit(DEFAULT_POOL_LIMIT);
    const reuses = allocationStats().reuses;
    const on = run();
    expect(allocationStats().reuses).toBeGreaterThan(reuses);
    expect(on.length).toBe(off.length);
    for (let s = 0; s < on.length; s++) {
      expect(on[s].length).toBe(off[s].length);
      for (let t = 0; t < on[s].length; t++) expect(on[s][t]).toEqual(off[s][t]);
    }
  });

  it('gives bit-identical gradients with the pool on and off', () => {
    const run = () => {
      const random = rng(7);
      const w = randn([N], { rng: random, requiresGrad: true });
      const out: number[][] = [];
      for (let step = 0; step < 4; step++) {
        const x = randn([N], { rng: random, requiresGrad: true });
        const [dx, dw] = gradients(network(x, w), [x, w], { gradOutput: randn([N], { rng: random }) });
        out.push(Array.from(dx.data), Array.from(dw.data));
      }
      return out;
    };
    setBufferPoolLimit(0);
    const off = run();
    setBufferPoolLimit(DEFAULT_POOL_LIMIT);
    const reuses = allocationStats().reuses;
    const on = run();
    expect(allocationStats().reuses).toBeGreaterThan(reuses);
    expect(on).toEqual(off);
  });

  it("never reuses a buffer that a user op's rule was handed or returned (the rule may keep it)", () => {
    // A user's op that keeps what its rule sees, e.g. to print the gradients later. Nothing it
    // kept may change afterwards, however many passes reuse buffers.
    const kept: Tensor[] = [];
    const watch = defineOp({
      name: 'watch',
      inputNames: ['x'],
      forward: ([x]) => new Tensor(Float64Array.from(x.data), x.shape),
      backward: (dOut) => {
        const dX = new Tensor(
          Float64Array.from(dOut.data, (v) => 2 * v),
          dOut.shape,
        );
        kept.push(dOut, dX);
        return [dX];
      },
    });
    const random = rng(5);
    const w = randn([N], { rng: random, requiresGrad: true });
    const seen: Float64Array[] = [];
    for (let step = 0; step < 4; step++) {
      const x = randn([N], { rng: random, requiresGrad: true });
      // watch sits between two built-in-like ops, so both what it receives and what it returns are
      // intermediate gradients the driver made during the pass.
      gradients(multiply([watch([multiply([x, w], {})]), w], {}), [x], { gradOutput: randn([N], { rng: random }) });
      seen.push(...snapshot(kept.slice(seen.length)));
    }
    for (let i = 0; i < kept.length; i++) expect(Float64Array.from(kept[i].data)).toEqual(seen[i]);
  });

  it('a reused buffer comes back zeroed and at version 0', () => {
    const random = rng(3);
    const x = randn([N], { rng: random, requiresGrad: true });
    const w = randn([N], { rng: random, requiresGrad: true });
    gradients(network(x, w), [x], { gradOutput: randn([N], { rng: random }) });
    const reuses = allocationStats().reuses;
    const fresh = allocate('float64', N);
    expect(allocationStats().reuses).toBe(reuses + 1); // it did come from the pool
    expect(fresh.every((v) => v === 0)).toBe(true);
    expect(new Tensor(fresh, [N]).version).toBe(0);
  });

  it('never pools with createGraph (the new graph may keep any gradient), nor when turned off', () => {
    const random = rng(4);
    const x = randn([N], { rng: random, requiresGrad: true });
    const w = randn([N], { rng: random, requiresGrad: true });
    const released = allocationStats().releasedBytes;
    gradients(network(x, w), [x], { gradOutput: randn([N], { rng: random }), createGraph: true });
    expect(allocationStats().releasedBytes).toBe(released);
    setBufferPoolLimit(0);
    gradients(network(x, w), [x], { gradOutput: randn([N], { rng: random }) });
    expect(allocationStats().releasedBytes).toBe(released);
    expect(allocationStats().pooledBytes).toBe(0);
  });

  it('counts new and reused allocations', () => {
    const before = allocationStats();
    allocate('float32', 10);
    const after = allocationStats();
    expect(after.allocatedBytes - before.allocatedBytes).toBe(40);
    expect(after.allocations - before.allocations).toBe(1);
    expect(() => setBufferPoolLimit(-1)).toThrow(/setBufferPoolLimit/);
  });

  it('allocateForOverwrite takes a pooled buffer as it was left (no zeroing pass); allocate zeroes it', () => {
    const dead = new Float64Array(N).fill(Number.NaN);
    expect(releaseBuffer(dead)).toBe(true);
    const reuses = allocationStats().reuses;
    const taken = allocateForOverwrite('float64', N);
    expect(taken).toBe(dead);
    expect(allocationStats().reuses).toBe(reuses + 1);
    expect(taken.every(Number.isNaN)).toBe(true);
    expect(releaseBuffer(taken)).toBe(true);
    expect(allocate('float64', N).every((v) => v === 0)).toBe(true);
    // Empty pool, a small size, or int32: a new zeroed buffer, as allocate gives.
    expect(allocateForOverwrite('float32', N).every((v) => v === 0)).toBe(true);
    expect(allocateForOverwrite('float64', 10)).toEqual(new Float64Array(10));
    expect(allocateForOverwrite('int32', N)).toEqual(new Int32Array(N));
  });

  it('the primitives that write every element (addGradients, broadcastTo, clone, float32 sumToShape) give the same bits from a poisoned pool', () => {
    const poison = (dtype: DType, size: number, count: number): void => {
      for (let k = 0; k < count; k++) {
        const dead: TensorData = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
        expect(releaseBuffer(dead.fill(Number.NaN))).toBe(true);
      }
    };
    const cases: Array<[string, DType, number, () => Tensor]> = [];
    for (const dtype of ['float64', 'float32'] as const) {
      const random = rng(dtype === 'float64' ? 8 : 9);
      const a = randn([3, N], { rng: random, dtype });
      const b = randn([3, N], { rng: random, dtype });
      const row = randn([N], { rng: random, dtype });
      const column = randn([3, 1, 1], { rng: random, dtype });
      cases.push(
        [`addGradients ${dtype}`, dtype, 3 * N, () => addGradients(a, b)],
        [`broadcastTo a repeated block ${dtype}`, dtype, 3 * N, () => broadcastTo(row, [3, N])],
        [`broadcastTo one value per block ${dtype}`, dtype, 3 * N, () => broadcastTo(column, [3, 2, N / 2])],
        [`clone ${dtype}`, dtype, 3 * N, () => clone(a)],
      );
      if (dtype === 'float32') cases.push([`sumToShape ${dtype}`, dtype, N, () => sumToShape(a, [N])]);
    }
    for (const [label, dtype, size, run] of cases) {
      setBufferPoolLimit(0);
      const fresh = run();
      setBufferPoolLimit(DEFAULT_POOL_LIMIT);
      poison(dtype, size, 2);
      const reuses = allocationStats().reuses;
      const pooled = run();
      expect(allocationStats().reuses, label).toBeGreaterThan(reuses); // the pool path was taken
      expect(Object.is(pooled.data.constructor, fresh.data.constructor), label).toBe(true);
      expect(
        Array.from(pooled.data).every((v, i) => Object.is(v, fresh.data[i])),
        label,
      ).toBe(true);
    }
  });
});
