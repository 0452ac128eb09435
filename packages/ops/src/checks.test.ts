import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { add } from './add';
import { div } from './div';
import { exp } from './exp';
import { maskedFill } from './masked-fill';
import { matmul } from './matmul';
import { mul } from './mul';
import { reshape } from './reshape';
import { sub } from './sub';
import { where } from './where';

describe('numbers as either operand', () => {
  it('sub(1, x), div(1, x), add(2, x), mul(3, x): the number is a scalar of x’s dtype (by hand)', () => {
    const x = tensor([0.5, 2, -4], { requiresGrad: true });
    expectClose(sub(1, x), [0.5, -1, 5]);
    expectClose(div(1, x), [2, 0.5, -0.25]);
    expectClose(add(2, x), [2.5, 4, -2]);
    expectClose(mul(3, x), [1.5, 6, -12]);
    expect(sub(1, tensor([1], { dtype: 'float32' })).dtype).toBe('float32');
    // d(1/x)/dx = −1/x², cotangent [1, 2, 3] → [−4, −0.5, −0.1875]
    const [dx] = vjp(div(1, x), [x], tensor([1, 2, 3]));
    expectClose(dx, [-4, -0.5, -0.1875], 1e-15);
  });

  it('gradcheck with the number on the left', () => {
    expectGradcheck((x) => sub(1, mul(2, div(3, x))), [normal([2, 3], 5)]);
  });

  it('two numbers, or an array, are rejected naming the op and the arguments', () => {
    expect(() => sub(1, 2)).toThrow(/sub: at least one of a and b must be a Tensor/);
    expect(() => add([1, 2] as never, 1)).toThrow(/add: a must be a Tensor, got .*wrap arrays/);
  });
});

describe('int32 tensors reaching float ops', () => {
  const ids = tensor([[0, 2]], { dtype: 'int32' });

  it('are rejected with the op, the argument and the shape', () => {
    expect(() => exp(ids)).toThrow(
      "exp: x is an int32 tensor of shape [1, 2], but exp needs float64 or float32 values (convert with .to('float64'))",
    );
    expect(() => add(normal([2], 1), ids)).toThrow(/add: b is an int32 tensor of shape \[1, 2\]/);
    expect(() => sub(1, ids)).toThrow(/sub: b is an int32 tensor/);
    expect(() => matmul(normal([2, 1], 1), ids)).toThrow(/matmul: b is an int32 tensor/);
  });

  it('work as where conditions and maskedFill masks, and reshape', () => {
    const x = tensor([[1, 2]]);
    expectClose(where(ids, x, -1), [[-1, 2]]);
    expectClose(maskedFill(x, ids, 9), [[1, 9]]);
    expect(where(ids, 1, 0).dtype).toBe('float64');
    expect(reshape(ids, [2]).dtype).toBe('int32');
  });
});
