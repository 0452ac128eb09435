import { rng, randn, tensor, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { analyticalJacobian, gradcheck, numericalJacobian, numericalJacobianColumns, stepSizeSweep, type GradcheckFn } from '../src/index';
import { cube } from './ops';

const x = randn([2, 2], { rng: rng(1), requiresGrad: true });
const misuse = (call: () => unknown) => () => {
  call();
};

describe('misuse throws, naming gradcheck, the argument and the problem', () => {
  it('fn not a function', () => {
    expect(misuse(() => gradcheck(42 as unknown as GradcheckFn, [x]))).toThrow(
      new TypeError('gradcheck: fn must be a function (...inputs: Tensor[]) => Tensor, got number 42'),
    );
  });

  it('inputs not an array, or not tensors (naming the index)', () => {
    expect(misuse(() => gradcheck(cube, x as unknown as Tensor[]))).toThrow(
      new TypeError('gradcheck: inputs must be an array of tensors, got a single Tensor (wrap it: [x])'),
    );
    expect(misuse(() => gradcheck(cube, [x, [1, 2]] as unknown as Tensor[]))).toThrow(
      new TypeError('gradcheck: inputs[1] must be a Tensor, got an array of length 2'),
    );
  });

  it('no input requires gradients', () => {
    expect(misuse(() => gradcheck(cube, [tensor([1, 2])]))).toThrow(
      new TypeError(
        'gradcheck: none of the 1 inputs requires gradients, so there is nothing to check; create the inputs to check with { requiresGrad: true }',
      ),
    );
    expect(misuse(() => gradcheck(cube, []))).toThrow(/gradcheck: none of the 0 inputs requires gradients/);
  });

  it('fn returning nothing or a non-tensor', () => {
    expect(misuse(() => gradcheck((() => undefined) as unknown as GradcheckFn, [x]))).toThrow(
      new TypeError('gradcheck: fn must return a Tensor, but it returned undefined'),
    );
    expect(misuse(() => gradcheck((() => 3) as unknown as GradcheckFn, [x]))).toThrow(
      new TypeError('gradcheck: fn must return a Tensor, but it returned number 3'),
    );
  });

  it('eps ≤ 0 or not finite', () => {
    for (const eps of [0, -1e-6, NaN, Infinity]) {
      expect(misuse(() => gradcheck(cube, [x], { eps }))).toThrow(new RangeError(`gradcheck: eps must be a finite number > 0, got ${eps}`));
    }
    expect(misuse(() => gradcheck(cube, [x], { eps: '1e-6' as unknown as number }))).toThrow(
      new TypeError('gradcheck: eps must be a number, got the string "1e-6"'),
    );
  });

  it('negative atol or rtol', () => {
    expect(misuse(() => gradcheck(cube, [x], { atol: -1 }))).toThrow(new RangeError('gradcheck: atol must be a finite number ≥ 0, got -1'));
    expect(misuse(() => gradcheck(cube, [x], { rtol: -1e-3 }))).toThrow(
      new RangeError('gradcheck: rtol must be a finite number ≥ 0, got -0.001'),
    );
  });

  it('unknown mode, stencil or option; a fractional seed', () => {
    expect(misuse(() => gradcheck(cube, [x], { mode: 'slow' as 'full' }))).toThrow(
      new RangeError(`gradcheck: mode must be 'full' or 'fast', got the string "slow"`),
    );
    expect(misuse(() => gradcheck(cube, [x], { stencil: 'forward' as 'central' }))).toThrow(
      new RangeError(`gradcheck: stencil must be 'central' or 'five-point', got the string "forward"`),
    );
    expect(misuse(() => gradcheck(cube, [x], { tol: 1e-3 } as object))).toThrow(
      new TypeError(`gradcheck: unknown option 'tol' (known: eps, atol, rtol, mode, stencil, seed, partial, jacobians)`),
    );
    expect(misuse(() => gradcheck(cube, [x], { seed: 1.5 }))).toThrow(new TypeError('gradcheck: seed must be an integer, got 1.5'));
    expect(misuse(() => gradcheck(cube, [x], null as unknown as object))).toThrow(
      new TypeError('gradcheck: options must be an object, got null'),
    );
  });

  it('a fn whose output shape depends on the values', () => {
    const original = x.data[0];
    const fn = (t: Tensor) => (t.data[0] === original ? cube(t) : tensor([1]));
    expect(misuse(() => gradcheck(fn, [x]))).toThrow(/gradcheck: fn returned 1 elements \(shape \[1\]\) at a perturbed input but 4/);
  });
});

describe('the other entry points name themselves', () => {
  it('numericalJacobian, analyticalJacobian, stepSizeSweep, numericalJacobianColumns', () => {
    expect(misuse(() => numericalJacobian(cube, [x], { eps: -1 }))).toThrow(/^numericalJacobian: eps must be a finite number > 0/);
    expect(misuse(() => numericalJacobian(cube, [x], { mode: 'fast' } as object))).toThrow(/^numericalJacobian: unknown option 'mode'/);
    expect(misuse(() => analyticalJacobian(cube, [tensor([1])]))).toThrow(/^analyticalJacobian: none of the 1 inputs requires gradients/);
    expect(misuse(() => stepSizeSweep(cube, [x], { from: 1e-8, to: 1e-2 }))).toThrow(
      new RangeError('stepSizeSweep: from (1e-8) must be at least to (0.01): the sweep runs from large steps to small'),
    );
    expect(misuse(() => numericalJacobianColumns(cube, [x], 1, 0, 1))).toThrow(
      new RangeError('numericalJacobianColumns: inputIndex must be an integer in [0, 1), got number 1'),
    );
    expect(misuse(() => numericalJacobianColumns(cube, [x], 0, 2, 5))).toThrow(
      new RangeError('numericalJacobianColumns: need integers 0 ≤ start ≤ end ≤ 4 (the size of inputs[0]), got start 2, end 5'),
    );
  });
});
