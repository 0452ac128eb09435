import { describe, expect, it } from 'vitest';
import { gradients } from './autograd';
import { tensor } from './create';
import { multiply } from './test-ops';

/** Issue 11, item 1: gradients() through a node freed by an earlier pass must not give partial sums. */
describe('gradients() through a graph freed by an earlier pass', () => {
  const expected = "gradients: the graph through 'multiply' was freed by an earlier backward pass; pass { retainGraph: true }";

  it("throws for the issue's example instead of returning [1, 4] (the truth is [3, 12])", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = multiply([x, x], {});
    gradients(a, [x], { gradOutput: tensor([1, 1]) });
    expect(() => gradients(multiply([a, x], {}), [x], { gradOutput: tensor([1, 1]) })).toThrow(expected);
  });

  it('gives the true gradient [3, 12] when the first pass retains the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = multiply([x, x], {});
    gradients(a, [x], { gradOutput: tensor([1, 1]), retainGraph: true });
    const [dx] = gradients(multiply([a, x], {}), [x], { gradOutput: tensor([1, 1]) });
    expect(Array.from(dx.data)).toEqual([3, 12]);
  });

  it('throws with createGraph too (instead of a second derivative of 0)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = multiply([x, x], {});
    a.backward(tensor([1, 1]));
    expect(() => gradients(multiply([a, x], {}), [x], { gradOutput: tensor([1, 1]), createGraph: true })).toThrow(expected);
  });

  it('throws like backward() does for the same graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = multiply([x, x], {});
    gradients(a, [x], { gradOutput: tensor([1, 1]) });
    expect(() => multiply([a, x], {}).backward(tensor([1, 1]))).toThrow(
      "backward: the graph through 'multiply' was freed by an earlier backward pass; pass { retainGraph: true }",
    );
  });

  it('still allows a target that is itself a freed node', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = multiply([x, x], {});
    gradients(a, [x], { gradOutput: tensor([1, 1]) });
    const [da] = gradients(multiply([a, x], {}), [a], { gradOutput: tensor([1, 1]) });
    expect(Array.from(da.data)).toEqual([1, 2]);
  });
});
