/**
 * The dual-package hazard: a process can load both the ESM build (dist/index.js) and the
 * CommonJS build (dist/index.cjs) of @attograd/tensor, each with its own Tensor class. Tensors
 * must be recognised across the two, so this test loads the built files (turbo builds the
 * package before its tests; see turbo.json here).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const esm = (await import('../dist/index.js')) as unknown as typeof import('../src/index');
const cjs = require('../dist/index.cjs') as unknown as typeof import('../src/index');

describe('tensors from the ESM and the CommonJS builds', () => {
  it('are two different classes (the hazard is real)', () => {
    expect(esm.Tensor).not.toBe(cjs.Tensor);
  });

  it('are instanceof each other’s Tensor', () => {
    const fromCjs = cjs.tensor([1, 2]);
    const fromEsm = esm.tensor([1, 2]);
    expect(fromCjs instanceof esm.Tensor).toBe(true);
    expect(fromEsm instanceof cjs.Tensor).toBe(true);
    expect(esm.isTensor(fromCjs)).toBe(true);
  });

  it('flow through ops and backward of the other copy', () => {
    const x = cjs.tensor([1, 2, 3], { requiresGrad: true });
    const y = esm.broadcastTo(x, [2, 3]);
    const [dx] = esm.gradients(y, [x], {
      gradOutput: esm.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    });
    expect(Array.from(dx.data)).toEqual([5, 7, 9]);
  });

  it('share version counters', () => {
    const x = cjs.tensor([1, 2]);
    esm.tensor([0]).detach.call(x).fill_(4);
    expect(x.version).toBe(1);
  });

  it('recognise a plain object only when it carries the brand', () => {
    const plain = { shape: [2], dtype: 'float64', data: new Float64Array(2) };
    expect(plain instanceof esm.Tensor).toBe(false);
    const branded = { ...plain, [Symbol.for('attograd.tensor')]: true };
    expect(branded instanceof esm.Tensor).toBe(true);
    expect(branded instanceof cjs.Tensor).toBe(true);
    expect((null as unknown) instanceof esm.Tensor).toBe(false);
    expect((3 as unknown) instanceof esm.Tensor).toBe(false);
  });

  it('keep the ordinary instanceof rule for a subclass', () => {
    class Parameter extends esm.Tensor {}
    const p = new Parameter(new Float64Array(1), [1]);
    expect(p instanceof Parameter).toBe(true);
    expect(p instanceof esm.Tensor).toBe(true);
    expect(esm.tensor([1]) instanceof Parameter).toBe(false);
  });
});
