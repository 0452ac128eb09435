/**
 * Exact GELU forward + backward on the training step's MLP activation ([16·64, 256]) in float32
 * and float64, against the same ops of an earlier build in the same process and interleaved
 * (`--baseline=DIR`, a copy made by scripts/snapshot-build.sh DIR). Ratio = baseline time / time.
 *
 *   node --import tsx src/gelu.ts --baseline=DIR [--rounds=21]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tensorModule from '@attograd/tensor';
import * as opsModule from '@attograd/ops';
import { formatRatio, sideBySide } from './side-by-side';

const baselineDir = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 21);
if (baselineDir === undefined) throw new Error('gelu bench: --baseline=DIR is required');
const load = (pkg: string) => import(pathToFileURL(path.resolve(baselineDir, 'node_modules', '@attograd', pkg, 'dist', 'index.js')).href);
const baseline = { tensor: (await load('tensor')) as typeof tensorModule, ops: (await load('ops')) as typeof opsModule };

const SHAPE = [1024, 256];
function geluStep(build: { tensor: typeof tensorModule; ops: typeof opsModule }, dtype: 'float32' | 'float64'): () => unknown {
  const random = build.tensor.rng(3);
  const n = SHAPE[0] * SHAPE[1];
  const values = Float64Array.from({ length: n }, () => 2 * (random.uniform() + random.uniform() + random.uniform() - 1.5));
  const x = build.tensor.tensor(values, { shape: SHAPE, dtype, requiresGrad: true });
  const cotangent = build.tensor.tensor(
    values.map((v) => v * 0.5 + 0.1),
    { shape: SHAPE, dtype },
  );
  return () => build.tensor.gradients(build.ops.gelu(x), [x], { gradOutput: cotangent });
}

const current = { tensor: tensorModule, ops: opsModule };
const result = sideBySide(
  {
    float32: geluStep(current, 'float32'),
    'baseline float32': geluStep(baseline, 'float32'),
    float64: geluStep(current, 'float64'),
    'baseline float64': geluStep(baseline, 'float64'),
  },
  'baseline float64',
  { rounds, batch: 3, warmup: 5 },
);
for (const dtype of ['float32', 'float64']) {
  const ratios = result.times[dtype].map((t, round) => result.times[`baseline ${dtype}`][round] / t).sort((p, q) => p - q);
  const at = (p: number) => ratios[Math.round((ratios.length - 1) * p)];
  console.log(
    `gelu fwd+bwd [${SHAPE}] ${dtype}: ${result.medianMs[dtype].toFixed(2)} ms, baseline ${result.medianMs[`baseline ${dtype}`].toFixed(2)} ms → speed-up ${formatRatio({ median: at(0.5), low: at(0.25), high: at(0.75) })} (${rounds} rounds, median, IQR)`,
  );
}
