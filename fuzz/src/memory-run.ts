/**
 * Runs forward + backward of a small self-attention many times and prints heap samples as JSON.
 * Started by test/memory.test.ts as `node --expose-gc --import tsx src/memory-run.ts ITERATIONS`.
 */
import { selfAttention } from '@attograd/attention';
import { randn, rng, type Tensor } from '@attograd/tensor';

const iterations = Number(process.argv[2] ?? 10_000);
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('memory-run: start node with --expose-gc');

const generator = rng(0);
const x = randn([8, 16], { rng: generator, requiresGrad: true });
const weights = {
  wq: randn([16, 16], { rng: generator, requiresGrad: true }),
  wk: randn([16, 16], { rng: generator, requiresGrad: true }),
  wv: randn([16, 16], { rng: generator, requiresGrad: true }),
};
const cotangent = randn([8, 16], { rng: generator });
const samples: number[] = [];
const kept: Tensor[] = []; // outputs the caller holds on to: their graphs must be freed by backward
for (let i = 0; i < iterations; i++) {
  const z = selfAttention(x, weights);
  z.backward(cotangent);
  if (i % 100 === 0) kept.push(z);
  x.grad = null;
  for (const w of Object.values(weights)) w.grad = null;
  if (i % (iterations / 20) === 0) {
    collect();
    samples.push(process.memoryUsage().heapUsed);
  }
}
collect();
samples.push(process.memoryUsage().heapUsed);
const freed = kept.every((z) => z.gradFn !== null && z.gradFn.vjp === null && z.gradFn.inputs.length === 0);
process.stdout.write(`${JSON.stringify({ samples, kept: kept.length, freed })}\n`);
