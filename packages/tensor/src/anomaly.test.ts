import { describe, expect, it } from 'vitest';
import { AnomalyError, detectAnomaly } from './anomaly';
import { tensor } from './create';
import { defineOp, type Op } from './op';
import { withLabel } from './label';
import { Tensor } from './tensor';

/** Issue 11, item 10: an anomaly inside a gradient rule is reported as that op's backward. */
const div: Op<Record<string, never>> = defineOp({
  name: 'div',
  inputNames: ['a', 'b'],
  forward: ([a, b]) =>
    new Tensor(
      a.data.map((v, i) => v / b.data[i]),
      a.shape,
    ),
  backward: (dOut, { inputs: [, b] }) => [div([dOut, b], {}), null],
});
const double: Op<Record<string, never>> = defineOp({
  name: 'double',
  inputNames: ['x'],
  forward: ([x]) =>
    new Tensor(
      x.data.map((v) => 2 * v),
      x.shape,
    ),
  backward: (d) => [double([d], {})],
});
/** sqrt as ops/sqrt.ts writes it: its rule divides by 2√x with ops. */
const sqrt = defineOp({
  name: 'sqrt',
  inputNames: ['x'],
  forward: ([x]) => new Tensor(x.data.map(Math.sqrt), x.shape),
  backward: (dOut, { output }) => [div([dOut, double([output], {})], {})],
});

describe('anomaly messages', () => {
  it("name sqrt(0)'s backward, with its stage, not a forward 'div'", () => {
    const x = tensor([4, 0], { requiresGrad: true });
    let caught: unknown;
    try {
      detectAnomaly(() => withLabel('normalize', () => sqrt([x], {})).backward(tensor([1, 1])));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnomalyError);
    const error = caught as AnomalyError;
    expect(error.op).toBe('sqrt');
    expect(error.phase).toBe('backward');
    expect(error.label).toBe('normalize');
    expect(error.message).toMatch(
      /^backward: the gradient rule of 'sqrt' \(stage normalize\) produced Infinity \(in its 'div' step\) in its output \[2\] at \[1\]/,
    );
  });

  it('still name a forward op as forward', () => {
    const x = tensor([1, 0], { requiresGrad: true });
    expect(() => detectAnomaly(() => div([x, x], {}))).toThrow(/^forward: 'div' produced NaN/);
  });
});
