/**
 * Two tiny ops defined with the public `defineOp`, for the engine's own tests (the real ops live
 * in @attograd/ops, which this package cannot import). Written as a user would write a custom op.
 */
import { defineOp, type Op } from './op';
import { Tensor } from './tensor';
import { broadcastShapes, broadcastIndex, sizeOf } from './shape';
import { allocate } from './dtype';

/** a ⊙ b with broadcasting: bilinear, so its rule is differentiable through itself. */
export const multiply: Op<Record<string, never>> = defineOp(
  {
    name: 'multiply',
    inputNames: ['a', 'b'],
    forward([a, b]) {
      const shape = broadcastShapes('multiply', a.shape, b.shape);
      const ai = broadcastIndex(a.shape, shape);
      const bi = broadcastIndex(b.shape, shape);
      const out = allocate(a.dtype, sizeOf(shape));
      for (let i = 0; i < out.length; i++) out[i] = a.data[ai[i]] * b.data[bi[i]];
      return new Tensor(out, shape);
    },
    backward: (dOut, { inputs: [a, b] }) => [multiply([dOut, b], {}), multiply([dOut, a], {})],
  },
  { keepsNoGradients: true },
);

/** x + c for a constant c. */
export const shift: Op<{ by: number }> = defineOp<{ by: number }>(
  {
    name: 'shift',
    inputNames: ['x'],
    forward: ([x], { by }) =>
      new Tensor(
        x.data.map((v) => v + by),
        x.shape,
      ),
    backward: (dOut) => [dOut],
  },
  { keepsNoGradients: true },
);
