/**
 * Tutorial 7 — a character-level GPT trained on attograd's own documentation.
 *
 * Run from the repository root:  npx tsx examples/07-char-gpt.ts           (the full run)
 *                                npx tsx examples/07-char-gpt.ts --short   (what CI runs)
 *
 * The text is this repository's READMEs and derivation notes (nothing is downloaded). Every
 * character is a token; the model reads 32 characters and predicts, at every position, the next
 * one. After training it writes text from a prompt, saves its weights as a safetensors file,
 * loads them into a freshly made model, and writes again with the same seed: the two texts must
 * be identical, character for character.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdamW, CosineAnnealingLR } from '@attograd/optim';
import { decodeSafetensors, encodeSafetensors, GPT, type GPTConfig } from '@attograd/nn';
import { noGrad, rng, Tensor } from '@attograd/tensor';

const SHORT = process.argv.includes('--short');
const STEPS = SHORT ? 80 : 2000;
const BATCH = 16;
const CONTEXT = 32;
const random = rng(7);

// --- The text: attograd's documentation, printable ASCII only -----------------------------------
const root = fileURLToPath(new URL('..', import.meta.url));
const files = [
  'README.md',
  'docs/derivations.md',
  ...['tensor', 'ops', 'attention', 'gradcheck', 'optim', 'nn', 'cli'].map((name) => `packages/${name}/README.md`),
];
// Characters outside printable ASCII (Greek letters, arrows, Korean) become '~', one token for all.
const text = files
  .map((file) => readFileSync(join(root, file), 'utf8'))
  .join('\n\n')
  .replace(/[^\n\x20-\x7e]/g, '~');
const alphabet = [...new Set(text)].sort();
const index = new Map(alphabet.map((char, i) => [char, i]));
const encoded = Int32Array.from(text, (char) => index.get(char)!);
const split = Math.floor(encoded.length * 0.9);
const train = encoded.subarray(0, split);
const validation = encoded.subarray(split);
console.log(
  `text: ${files.length} files, ${encoded.length} characters, an alphabet of ${alphabet.length}; ${train.length} to train on, ${validation.length} held out`,
);

/** BATCH windows of CONTEXT characters and, shifted by one, the characters that follow. */
function batchFrom(source: Int32Array, count: number): { ids: Tensor; targets: Tensor } {
  const ids = new Int32Array(count * CONTEXT);
  const targets = new Int32Array(count * CONTEXT);
  for (let row = 0; row < count; row++) {
    const start = Math.floor(random.uniform() * (source.length - CONTEXT - 1));
    ids.set(source.subarray(start, start + CONTEXT), row * CONTEXT);
    targets.set(source.subarray(start + 1, start + CONTEXT + 1), row * CONTEXT);
  }
  return { ids: new Tensor(ids, [count, CONTEXT]), targets: new Tensor(targets, [count, CONTEXT]) };
}

const config: GPTConfig = { vocabSize: alphabet.length, blockSize: CONTEXT, dModel: 48, heads: 4, layers: 2, tiedHead: true, initStd: 0.1 };
const model = new GPT({ ...config, rng: random });
const optimizer = new AdamW(model.parameters(), { lr: 3e-3, betas: [0.9, 0.98], weightDecay: 0.01 });
const schedule = new CosineAnnealingLR(optimizer, { tMax: STEPS, etaMin: 3e-4 });
console.log(`model: ${model.parameterCount()} parameters (d = 48, 4 heads, 2 layers, tied head); ${STEPS} steps of ${BATCH} windows`);
console.log(`chance: loss ln(${alphabet.length}) = ${Math.log(alphabet.length).toFixed(4)}`);

/** The mean loss over a fixed set of held-out windows. */
function validationLoss(): number {
  return noGrad(() => {
    const { ids, targets } = batchFrom(validation, 32);
    return model.forward(ids, targets).loss!.item();
  });
}

// --- Training -------------------------------------------------------------------------------------
const started = performance.now();
for (let step = 1; step <= STEPS; step++) {
  const { ids, targets } = batchFrom(train, BATCH);
  const { loss } = model.forward(ids, targets);
  optimizer.zeroGrad();
  loss!.backward();
  optimizer.step();
  schedule.step();
  if (step === 1 || step % (SHORT ? 20 : 100) === 0) console.log(`step ${String(step).padStart(4)}  loss ${loss!.item().toFixed(4)}`);
}
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`held-out loss ${validationLoss().toFixed(4)}`);

// --- Writing, saving, reloading, writing again -----------------------------------------------------
const PROMPT = 'The gradient of ';
function write(gpt: GPT): string {
  const prompt = new Tensor(
    Int32Array.from(PROMPT, (char) => index.get(char)!),
    [PROMPT.length],
  );
  const ids = gpt.eval().generate(prompt, 160, { temperature: 0.8, topK: 10, rng: rng(2026) });
  return Array.from(ids.data, (id) => alphabet[id]).join('');
}

const sample = write(model);
const folder = mkdtempSync(join(tmpdir(), 'attograd-char-gpt-'));
const file = join(folder, 'char-gpt.safetensors');
writeFileSync(file, encodeSafetensors(model.stateDict(), { alphabet: JSON.stringify(alphabet) }));
const saved = readFileSync(file);
const { tensors, metadata } = decodeSafetensors(saved);
const reloaded = new GPT({ ...config, vocabSize: (JSON.parse(metadata.alphabet) as string[]).length, rng: rng(12345) });
reloaded.loadStateDict(tensors);
const again = write(reloaded);
rmSync(folder, { recursive: true, force: true });

console.log(`sample:\n${sample}\n`);
console.log(`saved ${saved.length} bytes (${Object.keys(tensors).length} tensors) to a safetensors file and loaded them into a new model`);
console.log(`sample from the reloaded model:\n${again}\n`);
console.log(`same samples with the same seed: ${sample === again ? 'yes' : 'NO'}`);
