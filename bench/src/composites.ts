/**
 * Composites cost nothing (issue 14, goal 3): `selfAttention`, `multiHeadAttention` and
 * `attentionBlock` from @attograd/attention, forward + backward, each interleaved with the same
 * computation written directly with ops (the bench's own `singleHead` / `multiHead`, and
 * layerNorm(X + Z) for the block). T = 128, d = 64, float64. Ratio = ops time / composite time
 * (1: no cost; the goal is ≥ 0.95).
 *
 *   node --import tsx src/composites.ts [--rounds=21]
 */
import { gradients, ones, Tensor, zeros } from '@attograd/tensor';
import { add, layerNorm } from '@attograd/ops';
import { attentionBlock, multiHeadAttention, selfAttention } from '@attograd/attention';
import { multiHead, singleHead } from './attograd-engine';
import { formatRatio, sideBySide } from './side-by-side';
import { attentionInputs } from './work';

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 21);
const T = 128,
  d = 64,
  heads = 4;
const values = attentionInputs(T, d, heads);
const x = new Tensor(values.x.slice(), [T, d], { requiresGrad: true });
const [wq, wk, wv, wo] = values.weights.map((w) => new Tensor(w.slice(), [d, d], { requiresGrad: true }));
const gamma = ones([d], { requiresGrad: true });
const beta = zeros([d], { requiresGrad: true });
const cotangent = new Tensor(values.cotangent.slice(), [T, d]);
const backward = (y: Tensor, inputs: Tensor[]) => gradients(y, inputs, { gradOutput: cotangent });

const pairs: Array<[string, () => unknown, () => unknown]> = [
  [
    'selfAttention',
    () => backward(selfAttention(x, { wq, wk, wv }), [x, wq, wk, wv]),
    () => backward(singleHead(x, wq, wk, wv), [x, wq, wk, wv]),
  ],
  [
    'multiHeadAttention (4 heads)',
    () => backward(multiHeadAttention(x, { wq, wk, wv, wo }, { heads }), [x, wq, wk, wv, wo]),
    () => backward(multiHead(x, wq, wk, wv, wo, heads), [x, wq, wk, wv, wo]),
  ],
  [
    'attentionBlock',
    () => backward(attentionBlock(x, { wq, wk, wv, gamma, beta }), [x, wq, wk, wv, gamma, beta]),
    () => backward(layerNorm(add(x, singleHead(x, wq, wk, wv)), gamma, beta), [x, wq, wk, wv, gamma, beta]),
  ],
];

console.log(`composites vs ops, attention T=${T} d=${d} float64 forward+backward, ${rounds} interleaved rounds`);
console.log('| composite | composite ms | ops ms | ops time / composite time, median (IQR) |');
console.log('| --- | --- | --- | --- |');
for (const [name, composite, direct] of pairs) {
  const result = sideBySide({ composite, direct }, 'direct', { rounds, batch: 3, warmup: 20 });
  const ratio = result.ratio.composite;
  console.log(`| ${name} | ${result.medianMs.composite.toFixed(2)} | ${result.medianMs.direct.toFixed(2)} | ${formatRatio(ratio)} |`);
}
