import { causalMask, composites, selfAttention } from '@attograd/attention';
import { mean, mul, sub } from '@attograd/ops';
import { gradients, noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { attentionWeights, scaleScores, scores, project } from '@attograd/attention';

/**
 * A tiny attention model that learns a toy task: with a causal mask, each position should output
 * the vector of the token before it (position 0 its own). Trained parameters W_q, W_k, W_v by
 * plain SGD on the mean squared error. Runs anywhere; the page runs it in a Web Worker.
 */
export interface Trainer {
  /** One SGD step; returns the loss its forward pass computed (at the parameters before the update). */
  step(): number;
  /** The attention weights P (T×T) at the current parameters. */
  attention(): Tensor;
  /** Steps taken. */
  readonly steps: number;
  /** The loss at the current parameters (one forward pass when read after a step, then remembered). */
  readonly loss: number;
}

export const TRAIN_SIZES = { seq: 6, dModel: 4, learningRate: 0.5 } as const;

export function createTrainer(seed = 0): Trainer {
  const { seq, dModel, learningRate } = TRAIN_SIZES;
  const block = composites.find((c) => c.key === 'selfAttention')!;
  const made = block.makeInputs({ seq, dModel, seed });
  const x = randn([seq, dModel], { rng: rng(seed + 17) });
  const target = new Tensor(new Float64Array(seq * dModel), [seq, dModel]);
  for (let i = 0; i < seq; i++) for (let c = 0; c < dModel; c++) target.data[i * dModel + c] = x.data[Math.max(0, i - 1) * dModel + c];
  const mask = causalMask(seq);
  const params = [made.wq, made.wk, made.wv];
  const lossOf = (): Tensor => {
    const z = selfAttention(x, { wq: params[0], wk: params[1], wv: params[2] }, { mask });
    const gap = sub(z, target);
    return mean(mul(gap, gap));
  };
  let steps = 0;
  // The loss at the current parameters, when known: a step's own forward pass gives the loss before
  // its update, so several steps in a row run one forward pass each, not two.
  let current: number | undefined;
  const trainer: Trainer = {
    get steps() {
      return steps;
    },
    get loss() {
      current ??= noGrad(() => lossOf().item());
      return current;
    },
    step() {
      const loss = lossOf();
      const grads = gradients(loss, params);
      params.forEach((p, i) => {
        for (let j = 0; j < p.size; j++) p.data[j] -= learningRate * grads[i].data[j];
      });
      steps += 1;
      current = undefined;
      return loss.item();
    },
    attention: () =>
      noGrad(() => {
        const { q, k } = project(x, { wq: params[0], wk: params[1], wv: params[2] });
        return attentionWeights(scaleScores(scores(q, k), dModel), { mask });
      }),
  };
  return trainer;
}
