import { describe, expect, it } from 'vitest';
import { tensor } from './create';
import { defineOp } from './op';
import { Tensor } from './tensor';

/** Issue 11, item 5: defineOp rejects a broken op with an error that names it. */
const x = (): Tensor => tensor([1, 2], { requiresGrad: true });
const copy = ([t]: readonly Tensor[]): Tensor => new Tensor(t.data.slice(), t.shape);

describe('defineOp contracts', () => {
  it('a forward that returns a non-tensor', () => {
    const broken = defineOp({ name: 'broken', inputNames: ['x'], forward: () => undefined as never, backward: (d) => [d] });
    expect(() => broken([x()], {})).toThrow('broken: forward must return a Tensor or { output: Tensor, saved }, got undefined');
    const alsoBroken = defineOp({
      name: 'alsoBroken',
      inputNames: ['x'],
      forward: () => ({ output: [1, 2] }) as never,
      backward: (d) => [d],
    });
    expect(() => alsoBroken([x()], {})).toThrow(
      'alsoBroken: forward must return a Tensor or { output: Tensor, saved }, got an object (Object)',
    );
  });

  it('a forward whose output dtype differs from its inputs', () => {
    const widen = defineOp({
      name: 'widen',
      inputNames: ['x'],
      forward: ([t]) => new Tensor(Float32Array.from(t.data), t.shape),
      backward: (d) => [d],
    });
    expect(() => widen([x()], {})).toThrow('widen: forward returned a float32 tensor for float64 inputs');
  });

  it('a backward that returns too few or too many gradients', () => {
    const none = defineOp({ name: 'none', inputNames: ['x'], forward: copy, backward: () => [] });
    expect(() => none([x()], {}).backward(tensor([1, 1]))).toThrow('none: backward returned 0 gradients for 1 inputs');
    const extra = defineOp({ name: 'extra', inputNames: ['x'], forward: copy, backward: (d) => [d, d] });
    expect(() => extra([x()], {}).backward(tensor([1, 1]))).toThrow('extra: backward returned 2 gradients for 1 inputs');
    const notArray = defineOp({ name: 'notArray', inputNames: ['x'], forward: copy, backward: (d) => d as never });
    expect(() => notArray([x()], {}).backward(tensor([1, 1]))).toThrow('notArray: backward must return an array of gradients');
  });

  it('a backward entry that is neither a tensor nor null', () => {
    const numbers = defineOp({ name: 'numbers', inputNames: ['a', 'b'], forward: copy, backward: () => [null, [1, 2] as never] });
    expect(() => numbers([x(), x()], {}).backward(tensor([1, 1]))).toThrow(
      'numbers: backward returned an array of length 2 as the gradient of b; expected a Tensor or null',
    );
  });

  it('a gradient whose shape cannot be summed back to the input', () => {
    const wrong = defineOp({ name: 'wrong', inputNames: ['x'], forward: copy, backward: () => [tensor([[1, 2, 3]])] });
    expect(() => wrong([x()], {}).backward(tensor([1, 1]))).toThrow(
      'wrong: the gradient rule returned shape [1, 3] for input 0 of shape [2], which cannot be summed back to it',
    );
  });

  it('leaves .grad untouched when a contract fails', () => {
    const input = x();
    const none = defineOp({ name: 'none', inputNames: ['x'], forward: copy, backward: () => [] });
    expect(() => none([input], {}).backward(tensor([1, 1]))).toThrow();
    expect(input.grad).toBeNull();
  });
});
