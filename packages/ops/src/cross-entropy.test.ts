import { tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, vjp } from '../test/helpers';
import { crossEntropy } from './cross-entropy';
import { logSoftmax } from './log-softmax';
import { nllLoss } from './nll-loss';
import { mseLoss } from './mse-loss';

const ids = (values: number[]) => tensor(values, { dtype: 'int32' });

describe('crossEntropy', () => {
  // Row 0: p = [1/4, 3/4] (logits 0, ln 3), target 1. Row 1: p = [1/2, 1/2], target 0.
  const logits = () =>
    tensor(
      [
        [0, Math.log(3)],
        [1, 1],
      ],
      { requiresGrad: true },
    );

  it('mean over rows, with the fused gradient (p − onehot)/N (by hand)', () => {
    const x = logits();
    const loss = crossEntropy(x, ids([1, 0]));
    expectClose(loss, (Math.log(4 / 3) + Math.LN2) / 2, 1e-15);
    expectClose(
      vjp(loss, [x], tensor(3))[0],
      [
        [(3 * 0.25) / 2, (-3 * 0.25) / 2],
        [(-3 * 0.5) / 2, (3 * 0.5) / 2],
      ],
      1e-15,
    );
  });

  it('ignoreIndex: the row is skipped and not counted in N (by hand)', () => {
    const x = logits();
    const loss = crossEntropy(x, ids([1, 7]), { ignoreIndex: 7 });
    expectClose(loss, Math.log(4 / 3), 1e-15);
    expectClose(
      vjp(loss, [x], tensor(1))[0],
      [
        [0.25, -0.25],
        [0, 0],
      ],
      1e-15,
    );
    // No counted row: the loss is 0/0 = NaN but the gradient 0, as PyTorch.
    const none = crossEntropy(x, ids([-100, -100]));
    expectClose(none, NaN);
    expectClose(vjp(none, [x], tensor(1))[0], [
      [0, 0],
      [0, 0],
    ]);
    const nll = nllLoss(x, ids([-100, -100]));
    expectClose(vjp(nll, [x], tensor(1))[0], [
      [0, 0],
      [0, 0],
    ]);
  });

  it('labelSmoothing ε: the target becomes (1 − ε)·onehot + ε/C (by hand)', () => {
    const x = logits();
    const loss = crossEntropy(x, ids([1, 0]), { labelSmoothing: 0.2, reduction: 'sum' });
    const row0 = -(0.1 * Math.log(0.25) + 0.9 * Math.log(0.75));
    expectClose(loss, row0 + Math.LN2, 1e-15);
    expectClose(
      vjp(loss, [x], tensor(1))[0],
      [
        [0.25 - 0.1, 0.75 - 0.9],
        [0.5 - 0.9, 0.5 - 0.1],
      ],
      1e-15,
    );
  });

  it("reduction 'none' gives one loss per row (0 for ignored rows), over any leading axes", () => {
    const x = tensor(
      [
        [
          [0, Math.log(3)],
          [1, 1],
        ],
      ],
      { requiresGrad: true },
    );
    const losses = crossEntropy(x, tensor([[1, -100]], { dtype: 'int32' }), { reduction: 'none' });
    expectClose(losses, [[Math.log(4 / 3), 0]], 1e-15);
    expectClose(
      vjp(losses, [x], tensor([[2, 5]]))[0],
      [
        [
          [0.5, -0.5],
          [0, 0],
        ],
      ],
      1e-15,
    );
  });

  it('stays finite for confident logits where log(softmax) would be −∞', () => {
    const loss = crossEntropy(tensor([[0, 800]]), ids([0]));
    expectClose(loss, 800);
  });

  it('a NaN logit makes its row NaN (and the mean), as PyTorch; other rows of reduction none stay finite', () => {
    const x = tensor([
      [NaN, 1],
      [0, 1],
    ]);
    expectClose(crossEntropy(x, ids([1, 0]), { reduction: 'none' }), [NaN, Math.log(1 + Math.E)], 1e-15);
    expect(crossEntropy(x, ids([1, 0])).item()).toBeNaN();
  });

  it('equals nllLoss(logSoftmax(x)) on random logits', () => {
    const x = normal([3, 4, 5], 21, false);
    const t = tensor(
      [
        [0, 4, 2, 1],
        [3, 3, 0, 4],
        [1, 2, 2, 0],
      ],
      { dtype: 'int32' },
    );
    expectClose(crossEntropy(x, t), nllLoss(logSoftmax(x), t), 1e-14);
    expectClose(
      crossEntropy(x, t, { reduction: 'none', ignoreIndex: 3 }),
      nllLoss(logSoftmax(x), t, { reduction: 'none', ignoreIndex: 3 }),
      1e-14,
    );
  });

  it('bad targets and options are named', () => {
    const x = logits();
    expect(() => crossEntropy(x, tensor([1, 0]))).toThrow(
      /crossEntropy: targets must be an int32 tensor of indices, got float64 of shape \[2\]/,
    );
    expect(() => crossEntropy(x, ids([1, 2]))).toThrow(
      'crossEntropy: targets[1] (flat position) is 2, outside [0, 2) for logits [2, 2] (and not ignoreIndex -100)',
    );
    expect(() => crossEntropy(x, ids([1]))).toThrow(
      'crossEntropy: targets must have shape [2] (logits [2, 2] without its class axis), got [1]',
    );
    expect(() => crossEntropy(x, ids([1, 0]), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must lie in \[0, 1\]/);
    expect(() => crossEntropy(x, ids([1, 0]), { reduction: 'avg' as never })).toThrow(/reduction must be 'mean', 'sum' or 'none'/);
    expect(() => crossEntropy(ids([1, 0]), ids([1]))).toThrow(/crossEntropy: logits is an int32 tensor/);
  });

  it('gradcheck with ignoreIndex and label smoothing, each reduction', () => {
    const t = tensor(
      [
        [0, 4, 2],
        [3, -1, 1],
      ],
      { dtype: 'int32' },
    );
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expectGradcheck((x) => crossEntropy(x, t, { ignoreIndex: -1, labelSmoothing: 0.1, reduction }), [normal([2, 3, 5], 22)]);
    }
  });
});

describe('nllLoss', () => {
  it('−X[r, t_r] averaged over counted rows, gradient −1/N at the targets (by hand)', () => {
    const x = tensor(
      [
        [-1, -2],
        [-3, -4],
        [-5, -6],
      ],
      { requiresGrad: true },
    );
    const loss = nllLoss(x, ids([1, 0, 1]), { ignoreIndex: 0 });
    expectClose(loss, (2 + 6) / 2);
    expectClose(vjp(loss, [x], tensor(2))[0], [
      [0, -1],
      [0, 0],
      [0, -1],
    ]);
  });

  it('gradcheck (none)', () => {
    expectGradcheck((x) => nllLoss(x, ids([2, 0, 1]), { reduction: 'none' }), [normal([3, 3], 23)]);
  });
});

describe('mseLoss', () => {
  it('mean of squares and 2(x − t)/n for both inputs (by hand)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const t = tensor([0, 4], { requiresGrad: true });
    const loss = mseLoss(x, t);
    expectClose(loss, 2.5);
    const [dX, dT] = vjp(loss, [x, t], tensor(1));
    expectClose(dX, [1, -2]);
    expectClose(dT, [-1, 2]);
    expectClose(mseLoss(x, t, { reduction: 'sum' }), 5);
    expect(() => mseLoss(x, tensor([1]))).toThrow('mseLoss: input has shape [2] but target has shape [1]');
  });

  it('gradcheck', () => expectGradcheck((x, t) => mseLoss(x, t), [normal([2, 3], 24), normal([2, 3], 25)]));
});
