import { describe, expect, it } from 'vitest';
import { gradients } from './autograd';
import { ones, tensor } from './create';
import { broadcastTo, sumToShape } from './primitives';

/** Issue 11, item 7 (engine side): gradients summed over broadcast axes accumulate in float64. */
describe('float32 accumulation over broadcast axes', () => {
  it('the gradient of a float32 scalar broadcast to 2·10⁷ elements is 2·10⁷, not 16777216', () => {
    const x = tensor([1], { dtype: 'float32', requiresGrad: true });
    const y = broadcastTo(x, [20_000_000]);
    const [dx] = gradients(y, [x], { gradOutput: ones([20_000_000], { dtype: 'float32' }) });
    expect(dx.dtype).toBe('float32');
    expect(dx.item()).toBe(20_000_000);
  }, 180_000); // 2·10⁷ elements (past 2²⁴) take seconds to build on a loaded machine

  it('sumToShape of 10⁷ float32 values of 0.1 is within float32 rounding of 10⁶', () => {
    const x = ones([10_000_000], { dtype: 'float32' });
    x.data.fill(0.1);
    const total = sumToShape(x, [1]).item();
    expect(Math.abs(total - 10_000_000 * Math.fround(0.1)) / 1e6).toBeLessThan(1e-6);
  }, 180_000);

  it('a broadcast gradient of 10⁶ float32 values of 0.1 is within float32 rounding of 10⁵ (a naive sum is 1 % off)', () => {
    const x = tensor([[0]], { dtype: 'float32', requiresGrad: true });
    const cotangent = ones([1000, 1000], { dtype: 'float32' });
    cotangent.data.fill(0.1);
    const [dx] = gradients(broadcastTo(x, [1000, 1000]), [x], { gradOutput: cotangent });
    expect(Math.abs(dx.item() - 1e6 * Math.fround(0.1)) / 1e5).toBeLessThan(1e-6);
  });
});
