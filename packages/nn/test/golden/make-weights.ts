/**
 * Writes the inputs of the PyTorch comparison (run once, then tools/golden/nn_gpt.py):
 *   gpt-untied.safetensors, gpt-tied.safetensors   two small GPTs' state dicts, written by attograd
 *   gpt-inputs.safetensors                          ids, targets (one ignored position), a cotangent
 * Run from the repository root:  npx tsx packages/nn/test/golden/make-weights.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { encodeSafetensors, GPT, init } from '../../src/index';
import { GOLDEN_CONFIG } from './config';

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const random = rng(20261130);

for (const tiedHead of [false, true]) {
  const model = new GPT({ ...GOLDEN_CONFIG, tiedHead, rng: random });
  // Layer norms and biases start at 1 and 0; move them, so that a mistake in their use shows.
  noGrad(() => {
    for (const [name, p] of model.namedParameters()) {
      if (p.rank === 1) init.normal(p, { mean: /ln\d\.weight|finalNorm\.weight/.test(name) ? 1 : 0, std: 0.2, rng: random });
    }
  });
  writeFileSync(here(`gpt-${tiedHead ? 'tied' : 'untied'}.safetensors`), encodeSafetensors(model.stateDict(), { writer: 'attograd' }));
}

const { vocabSize, blockSize } = GOLDEN_CONFIG;
const batch = 3;
const ids = new Tensor(
  Int32Array.from({ length: batch * blockSize }, () => Math.floor(random.uniform() * vocabSize)),
  [batch, blockSize],
);
const targets = new Tensor(
  Int32Array.from({ length: batch * blockSize }, () => Math.floor(random.uniform() * vocabSize)),
  [batch, blockSize],
);
targets.data[4] = -100; // one position that must not count
const cotangent = randn([batch, blockSize, vocabSize], { rng: random });
writeFileSync(here('gpt-inputs.safetensors'), encodeSafetensors({ ids, targets, cotangent }));
