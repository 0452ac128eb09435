/**
 * What the composites add on top of the same ops (issue 14, goal 3), measured where it is
 * largest relative to the work: tiny attention (T = 4, d = 8), forward + backward, composite and
 * direct ops interleaved (batches of 200 calls). Prints the per-round difference composite −
 * direct in µs (median and IQR). At T = 128 the same calls take ~8 ms, so a difference of a few µs
 * is far below the 5 % goal, which the noisy T = 128 ratio of `bench:composites` cannot resolve.
 *
 *   node --import tsx src/composite-overhead.ts
 */
import { gradients, Tensor } from '@attograd/tensor';
import { selfAttention, attentionBlock } from '@attograd/attention';
import { add, layerNorm } from '@attograd/ops';
import { singleHead } from './attograd-engine';
import { sideBySide } from './side-by-side';
import { attentionInputs } from './work';
const T = 4;
const d = 8;
const values = attentionInputs(T, d, 1);
const x = new Tensor(values.x.slice(), [T, d], { requiresGrad: true });
const [wq, wk, wv] = values.weights.map((w) => new Tensor(w.slice(), [d, d], { requiresGrad: true }));
const gamma = new Tensor(new Float64Array(d).fill(1), [d], { requiresGrad: true });
const beta = new Tensor(new Float64Array(d), [d], { requiresGrad: true });
const cot = new Tensor(values.cotangent.slice(), [T, d]);
const r = sideBySide(
  {
    composite: () => gradients(selfAttention(x, { wq, wk, wv }), [x, wq, wk, wv], { gradOutput: cot }),
    direct: () => gradients(singleHead(x, wq, wk, wv), [x, wq, wk, wv], { gradOutput: cot }),
    block: () => gradients(attentionBlock(x, { wq, wk, wv, gamma, beta }), [x, wq, wk, wv, gamma, beta], { gradOutput: cot }),
    blockDirect: () =>
      gradients(layerNorm(add(x, singleHead(x, wq, wk, wv)), gamma, beta), [x, wq, wk, wv, gamma, beta], { gradOutput: cot }),
  },
  'direct',
  { rounds: 41, batch: 200, warmup: 500 },
);
const diffs = (a: string, b: string) => r.times[a].map((t, i) => (t - r.times[b][i]) * 1000).sort((p, q) => p - q);
for (const [a, b] of [
  ['composite', 'direct'],
  ['block', 'blockDirect'],
]) {
  const v = diffs(a, b);
  console.log(
    `${a} − ${b}: median ${v[20].toFixed(1)} µs (IQR ${v[10].toFixed(1)}–${v[30].toFixed(1)}), ${b} ${(r.medianMs[b] * 1000).toFixed(0)} µs`,
  );
}
