/**
 * One training step of a small GPT (issue 14, goal 1): zeroGrad, forward with cross-entropy,
 * backward, AdamW update — vocab 64, width 64, 4 heads, 2 layers, sequence 64, batch 16 — in
 * attograd float32 and float64 (interleaved, side by side) and in PyTorch 1.13 on one thread
 * (`pytorch/training_step.py`, run with /usr/bin/python3 before and after the attograd rounds, as
 * it cannot share the process), and TF.js wasm float32 (`tfjs-training-step.ts`) interleaved.
 *
 *   node --import tsx src/training-step.ts [--rounds=9] [--baseline=DIR] [--no-pytorch] [--no-tfjs]
 *
 * --baseline=DIR also times an earlier build, copied by `scripts/snapshot-build.sh DIR`, in the
 * same process and interleaved (its own tensor/ops/nn/optim modules): the before/after ratio of a
 * change measured side by side, which a loaded machine allows where two separate runs do not.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import * as tensorModule from '@attograd/tensor';
import * as nnModule from '@attograd/nn';
import * as optimModule from '@attograd/optim';
import { formatRatio, sideBySide, summarize } from './side-by-side';
import { loadTfjs } from './tfjs-engine';
import { type StepHooks, stepMemory } from './step-memory';
import { tfjsTrainingStep } from './tfjs-training-step';

const VOCAB = 64,
  WIDTH = 64,
  HEADS = 4,
  LAYERS = 2,
  SEQ = 64,
  BATCH = 16;
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 9);

const baselineDir = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);

interface Build {
  tensor: Pick<typeof tensorModule, 'rng' | 'tensor' | 'topologicalOrder'> & Partial<Pick<typeof tensorModule, 'allocationStats'>>;
  nn: Pick<typeof nnModule, 'GPT'>;
  optim: Pick<typeof optimModule, 'AdamW'>;
}

async function loadBuild(dir: string): Promise<Build> {
  const load = (pkg: string) => import(pathToFileURL(path.resolve(dir, 'node_modules', '@attograd', pkg, 'dist', 'index.js')).href);
  return { tensor: await load('tensor'), nn: await load('nn'), optim: await load('optim') };
}

function trainingStep(
  dtype: 'float32' | 'float64',
  build: Build = { tensor: tensorModule, nn: nnModule, optim: optimModule },
): { step: () => number; hooks: StepHooks } {
  const { rng, tensor } = build.tensor;
  const { GPT } = build.nn;
  const { AdamW } = build.optim;
  const model = new GPT({ vocabSize: VOCAB, blockSize: SEQ, dModel: WIDTH, heads: HEADS, layers: LAYERS, dtype, rng: rng(0) });
  const optimizer = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.1 });
  const random = rng(1);
  const draw = () => Int32Array.from({ length: BATCH * SEQ }, () => Math.floor(random.uniform() * VOCAB));
  const ids = tensor(draw(), { shape: [BATCH, SEQ], dtype: 'int32' });
  const targets = tensor(draw(), { shape: [BATCH, SEQ], dtype: 'int32' });
  const forward = () => {
    optimizer.zeroGrad();
    return model.forward(ids, targets).loss!;
  };
  const finish = (loss: tensorModule.Tensor) => {
    loss.backward();
    optimizer.step();
  };
  const stats = build.tensor.allocationStats;
  return {
    step: () => {
      const loss = forward();
      finish(loss);
      return loss.item();
    },
    hooks: { parameters: model.parameters(), forward, finish, topologicalOrder: build.tensor.topologicalOrder, stats },
  };
}

function pytorch(): { float32: number; float64: number } | null {
  if (process.argv.includes('--no-pytorch')) return null;
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pytorch', 'training_step.py');
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', [script, String(rounds)], { encoding: 'utf8' }));
  } catch (error) {
    console.log(`PyTorch not run: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
}

const before = pytorch();
const candidates: Record<string, () => unknown> = { float32: trainingStep('float32').step, float64: trainingStep('float64').step };
const baseline = baselineDir === undefined ? undefined : await loadBuild(baselineDir);
if (baseline) {
  candidates['baseline float32'] = trainingStep('float32', baseline).step;
  candidates['baseline float64'] = trainingStep('float64', baseline).step;
}
const tf = process.argv.includes('--no-tfjs') ? null : await loadTfjs();
if (tf) {
  tf.setBackend('wasm');
  const random = tensorModule.rng(1);
  const draw = () => Int32Array.from({ length: BATCH * SEQ }, () => Math.floor(random.uniform() * VOCAB));
  const tfStep = tfjsTrainingStep(tf, { vocab: VOCAB, width: WIDTH, heads: HEADS, layers: LAYERS, seq: SEQ, batch: BATCH }, draw(), draw());
  candidates['tfjs-wasm float32'] = tfStep.step;
}
console.log(
  `loss of the first step (ln ${VOCAB} = ${Math.log(VOCAB).toFixed(3)} expected): ${Object.entries(candidates)
    .map(([name, step]) => `${name} ${(step() as number).toFixed(3)}`)
    .join(', ')}`,
);
const result = sideBySide(candidates, 'float64', { rounds, batch: 1, warmup: 3 });
const after = pytorch();
const f32 = result.medianMs.float32;
const f64 = result.medianMs.float64;
console.log(
  `training step, GPT vocab ${VOCAB} width ${WIDTH} heads ${HEADS} layers ${LAYERS} seq ${SEQ} batch ${BATCH}; ${rounds} interleaved rounds`,
);
console.log(
  `attograd float32 ${f32.toFixed(1)} ms, float64 ${f64.toFixed(1)} ms; float32 speed-up over float64 ${formatRatio(result.ratio.float32)} (median, IQR)`,
);
for (const [when, torch] of [
  ['before', before],
  ['after', after],
] as const) {
  if (torch === null) continue;
  console.log(
    `PyTorch 1 thread (${when}): float32 ${torch.float32.toFixed(1)} ms, float64 ${torch.float64.toFixed(1)} ms → attograd/PyTorch time: ` +
      `float32 ${(f32 / torch.float32).toFixed(2)}×, float64 ${(f64 / torch.float64).toFixed(2)}×`,
  );
}
if (tf) {
  const ratios = result.times.float32.map((t, round) => result.times['tfjs-wasm float32'][round] / t);
  const met = summarize(ratios).median >= 3;
  console.log(
    `TF.js wasm float32 ${result.medianMs['tfjs-wasm float32'].toFixed(1)} ms → attograd float32 speed-up over TF.js wasm: ${formatRatio(summarize(ratios))} (median, IQR; goal ≥ 3: ${met ? 'met' : 'not met'})`,
  );
}
if (baseline) {
  for (const dtype of ['float32', 'float64'] as const) {
    const ratios = result.times[dtype].map((t, round) => result.times[`baseline ${dtype}`][round] / t);
    console.log(
      `baseline build ${baselineDir} ${dtype} ${result.medianMs[`baseline ${dtype}`].toFixed(1)} ms → speed-up of this build: ${formatRatio(summarize(ratios))} (median, IQR)`,
    );
  }
}

// Goal 5: memory of one step (step-memory.ts explains the method), on models of their own.
if (!process.argv.includes('--no-memory')) {
  const builds: Array<[string, Build | undefined]> = [['this build', undefined]];
  if (baseline) builds.push([`baseline ${baselineDir}`, baseline]);
  console.log('memory of one step: must keep = parameters + gradients + AdamW state + activations (graph values)');
  console.log(
    '| build | dtype | must keep (activations) | resident at start | allocated (counter / arrayBuffers) | collections | (resident + allocated) / must keep |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, build] of builds) {
    for (const dtype of ['float32', 'float64'] as const) {
      await memoryRow(name, dtype, build);
      if (build === undefined) {
        // The same build with its buffer pool turned off: what the pool and in-place sums save.
        tensorModule.setBufferPoolLimit(0);
        await memoryRow(`${name}, pool off`, dtype, build);
        tensorModule.setBufferPoolLimit(64 * 2 ** 20);
      }
    }
  }
}

async function memoryRow(name: string, dtype: 'float32' | 'float64', build: Build | undefined): Promise<void> {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (build === undefined && tensorModule.allocationStats().pooledBytes > 0) {
    // Empty the pool of what other models left in it (emptying turns it off; turn it back on).
    tensorModule.setBufferPoolLimit(0);
    tensorModule.setBufferPoolLimit(64 * 2 ** 20);
  }
  const m = await stepMemory(trainingStep(dtype, build).hooks);
  const counter = m.counterBytes === null ? '—' : mb(m.counterBytes);
  // Without the counter, a collection during the step makes the arrayBuffers growth a lower bound.
  const bound = m.counterBytes === null && m.collections > 0 ? '≥ ' : '';
  const met = bound !== '' ? 'unknown' : m.ratio <= 1.3 ? 'met' : 'not met';
  console.log(
    `| ${name} | ${dtype} | ${mb(m.mustKeepBytes.total)} (${mb(m.mustKeepBytes.activations)}) | ${mb(m.residentBytes)} | ` +
      `${counter} / ${bound}${mb(m.arrayBufferBytes)} | ${m.collections} | ${bound}${m.ratio.toFixed(2)} (goal ≤ 1.3: ${met}) |`,
  );
}
