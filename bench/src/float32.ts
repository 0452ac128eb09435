/**
 * Every row in its own dtype (issue 14, goal 4): softmax, layer norm and attention (one and four
 * heads), forward and forward + backward, in attograd float32, attograd float64 and TF.js wasm
 * float32, interleaved round by round in one process (src/side-by-side.ts; a full collection before
 * every timed batch unless --no-collect). Ratio = TF.js wasm
 * time / attograd time per round (above 1: attograd is faster); the table gives its median and
 * interquartile range, the minimum and median times, and the load average before and after.
 *
 *   node --expose-gc --import tsx src/float32.ts [--rounds=15] [--only=softmax] [--quick]
 */
import os from 'node:os';
import { gradients, noGrad, ones, Tensor, zeros } from '@attograd/tensor';
import { layerNorm, softmax } from '@attograd/ops';
import { multiHead, singleHead } from './attograd-engine';
import { formatRatio, sideBySide } from './side-by-side';
import { loadTfjs, tfjsEngine } from './tfjs-engine';
import { attentionInputs, labelOf, randomValues, type Work } from './work';

type DType = 'float32' | 'float64';
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? (quick ? 2 : 15));
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);

function tensorOf(values: Float64Array, shape: number[], dtype: DType, requiresGrad = false): Tensor {
  return new Tensor(dtype === 'float64' ? values.slice() : Float32Array.from(values), shape, { requiresGrad });
}

/** The same work as the main bench's attograd engine, in either dtype. */
function attograd(work: Work, dtype: DType): () => unknown {
  switch (work.kind) {
    case 'softmax': {
      const shape = [work.rows, work.columns];
      const x = tensorOf(randomValues(work.rows * work.columns, 5), shape, dtype, work.backward);
      const cotangent = tensorOf(randomValues(work.rows * work.columns, 6), shape, dtype);
      return work.backward ? () => gradients(softmax(x), [x], { gradOutput: cotangent }) : () => softmax(x);
    }
    case 'layerNorm': {
      const shape = [work.rows, work.d];
      const x = tensorOf(randomValues(work.rows * work.d, 7), shape, dtype, work.backward);
      const gamma = ones([work.d], { dtype, requiresGrad: work.backward });
      const beta = zeros([work.d], { dtype, requiresGrad: work.backward });
      const cotangent = tensorOf(randomValues(work.rows * work.d, 8), shape, dtype);
      return work.backward
        ? () => gradients(layerNorm(x, gamma, beta), [x, gamma, beta], { gradOutput: cotangent })
        : () => layerNorm(x, gamma, beta);
    }
    case 'attention': {
      const { T, d, heads, backward } = work;
      const values = attentionInputs(T, d, heads);
      const x = tensorOf(values.x, [T, d], dtype, backward);
      const weights = values.weights.map((w) => tensorOf(w, [d, d], dtype, backward));
      const cotangent = tensorOf(values.cotangent, [T, d], dtype);
      const forward = () =>
        heads > 1 ? multiHead(x, weights[0], weights[1], weights[2], weights[3], heads) : singleHead(x, weights[0], weights[1], weights[2]);
      return backward ? () => gradients(forward(), [x, ...weights], { gradOutput: cotangent }) : () => noGrad(forward);
    }
    default:
      throw new Error(`float32 bench: no rows of kind ${work.kind}`);
  }
}

function rows(): Work[] {
  const size = quick ? 64 : 512;
  const list: Work[] = [];
  for (const backward of [false, true]) list.push({ kind: 'softmax', rows: size, columns: size, backward });
  for (const backward of [false, true]) list.push({ kind: 'layerNorm', rows: size, d: size, backward });
  for (const heads of [1, 4]) {
    for (const [T, d] of quick
      ? [[32, 16]]
      : [
          [128, 64],
          [512, 128],
        ]) {
      for (const backward of [false, true]) list.push({ kind: 'attention', T, d, heads, backward });
    }
  }
  return list.filter((work) => only === undefined || labelOf(work).includes(only));
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const tf = await loadTfjs();
const tfjsWasm = tfjsEngine(tf, 'wasm');
const loadBefore = loadAverage();
console.log(`float32 rows: attograd f32 / attograd f64 / TF.js wasm f32, ${rounds} interleaved rounds each; load average ${loadBefore}`);
console.log(
  '| work | attograd f32 min / median ms | attograd f64 min / median ms | TF.js wasm f32 min / median ms | × f32 vs TF.js: median (IQR) | × f64 vs TF.js: median (IQR) | f32 |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let ahead = 0;
const all = rows();
for (const work of all) {
  const runner = tfjsWasm.prepare(work)!;
  const heavy = work.kind === 'attention' && work.T >= 512;
  const result = sideBySide({ f32: attograd(work, 'float32'), f64: attograd(work, 'float64'), tfjs: () => runner.run() }, 'tfjs', {
    rounds,
    batch: heavy ? 1 : 5,
    warmup: quick ? 1 : heavy ? 3 : 20,
    collect: !args.includes('--no-collect'),
  });
  runner.dispose();
  const min = (name: string) => Math.min(...result.times[name]).toFixed(3);
  const cell = (name: string) => `${min(name)} / ${result.medianMs[name].toFixed(3)}`;
  const isAhead = result.ratio.f32.median > 1;
  if (isAhead) ahead++;
  console.log(
    `| ${labelOf(work)} | ${cell('f32')} | ${cell('f64')} | ${cell('tfjs')} | ${formatRatio(result.ratio.f32)} | ${formatRatio(result.ratio.f64)} | ${isAhead ? 'ahead' : '**behind**'} |`,
  );
}
console.log(`float32 rows ahead of TF.js wasm: ${ahead} of ${all.length}; load average before ${loadBefore}, after ${loadAverage()}`);
