import { describe, formatShape, type Rng, rangeError, Tensor, typeError } from '@attograd/tensor';
import { checkInteger, checkOptions, checkAnyTensor } from './checks';
import { generatorFor } from './layer-generator';

/**
 * Drawing tokens for generation. Nothing here is differentiable (ids are integers); all of it
 * reads rows of the last axis and draws from a seeded generator, so a seed fixes the text.
 *
 *   temperature τ:  p = softmax(logits/τ) — τ < 1 sharpens, τ > 1 flattens, τ = 0 is argmax
 *   top-k:          logits outside the k largest of a row become −∞ before the softmax
 *   multinomial:    a draw u ~ U(0, Σp) picks the first class whose running sum exceeds u
 */

/** Options of `multinomial`. */
export interface MultinomialOptions {
  /** The generator to draw from. Default: nn's shared generator (seed 0). */
  rng?: Rng;
  /** Draws per row (with replacement). Default 1. */
  samples?: number;
}

/**
 * Draws class indices from each row of non-negative weights (PyTorch's `torch.multinomial` with
 * replacement): probs [..., C] → int32 [..., samples]. Rows need not sum to 1.
 *
 * @throws TypeError when probs is not a float tensor; RangeError for a row with a negative or
 * non-finite weight, or whose weights sum to 0.
 * @example
 * multinomial(tensor([0.1, 0.0, 0.9]), { rng: rng(1) }) // int32 [1]: 0 or 2
 */
export function multinomial(probs: Tensor, options: MultinomialOptions = {}): Tensor {
  const fn = 'multinomial';
  checkOptions(fn, options);
  const { rows, classes } = checkRows(fn, 'probs', probs);
  const samples = checkInteger(fn, 'samples', options.samples ?? 1, 1);
  const random = generatorFor(fn, options.rng);
  const out = new Int32Array(rows * samples);
  for (let row = 0; row < rows; row++) {
    const weights = probs.data.subarray(row * classes, (row + 1) * classes);
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const w = weights[c];
      if (!(w >= 0) || w === Infinity)
        throw rangeError(fn, `probs row ${row} has weight ${w} at class ${c}; weights must be finite and non-negative`);
      total += w;
    }
    if (total === 0) throw rangeError(fn, `probs row ${row} sums to 0: there is nothing to draw`);
    for (let s = 0; s < samples; s++) out[row * samples + s] = draw(weights, total, random.uniform());
  }
  return new Tensor(out, [...probs.shape.slice(0, -1), samples]);
}

/** The first class whose running sum exceeds u·total (a zero-weight class is never chosen). */
function draw(weights: ArrayLike<number>, total: number, u: number): number {
  const target = u * total;
  let running = 0;
  let last = 0;
  for (let c = 0; c < weights.length; c++) {
    if (weights[c] === 0) continue;
    running += weights[c];
    last = c;
    if (target < running) return c;
  }
  return last; // u·total rounded up to the full sum: the last class with weight
}

/**
 * A copy of logits with every value below the k-th largest of its row set to −∞ (ties with the
 * k-th value are kept, as in the usual `logits < topk.values[-1]` filter).
 *
 * @example
 * topKFilter(tensor([1, 3, 2]), 2).toArray() // [-Infinity, 3, 2]
 */
export function topKFilter(logits: Tensor, k: number): Tensor {
  const { rows, classes } = checkRows('topKFilter', 'logits', logits);
  checkInteger('topKFilter', 'k', k, 1);
  const out = logits.data.slice();
  if (k >= classes) return new Tensor(out, logits.shape);
  for (let row = 0; row < rows; row++) {
    const values = out.subarray(row * classes, (row + 1) * classes);
    const threshold = Array.from(values).sort((a, b) => b - a)[k - 1];
    for (let c = 0; c < classes; c++) if (values[c] < threshold) values[c] = -Infinity;
  }
  return new Tensor(out, logits.shape);
}

/** Options of `sampleLogits`. */
export interface SampleOptions {
  /** τ > 0 divides the logits; 0 picks the largest (greedy). Default 1. */
  temperature?: number;
  /** Keep only the k most likely classes of each row. Default: all. */
  topK?: number;
  rng?: Rng;
}

/**
 * One token per row of logits [..., C] → int32 [...]: softmax(logits/τ) after the top-k filter,
 * then a multinomial draw; τ = 0 takes the argmax (the first of equal maxima) and draws nothing.
 *
 * @example
 * sampleLogits(logits, { temperature: 0.8, topK: 5, rng: rng(7) })
 */
export function sampleLogits(logits: Tensor, options: SampleOptions = {}): Tensor {
  const fn = 'sampleLogits';
  checkOptions(fn, options);
  const { rows, classes } = checkRows(fn, 'logits', logits);
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || temperature === Infinity) {
    throw rangeError(fn, `temperature must be a finite number ≥ 0, got ${describe(temperature)}`);
  }
  const filtered = options.topK === undefined ? logits : topKFilter(logits, options.topK);
  const random = temperature === 0 ? null : generatorFor(fn, options.rng);
  const out = new Int32Array(rows);
  const weights = new Float64Array(classes);
  for (let row = 0; row < rows; row++) {
    const values = filtered.data.subarray(row * classes, (row + 1) * classes);
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[c] > values[best]) best = c;
    if (!Number.isFinite(values[best]))
      throw rangeError(fn, `logits row ${row} has largest value ${values[best]}; a draw needs a finite maximum`);
    if (random === null) {
      out[row] = best;
      continue;
    }
    // softmax(values/τ) without its normalisation (multinomial does not need it), shifted by the max.
    let total = 0;
    for (let c = 0; c < classes; c++) total += weights[c] = Math.exp((values[c] - values[best]) / temperature);
    out[row] = draw(weights, total, random.uniform());
  }
  return new Tensor(out, logits.shape.slice(0, -1));
}

function checkRows(fn: string, name: string, value: unknown): { rows: number; classes: number } {
  const t = checkAnyTensor(fn, name, value);
  if (t.dtype === 'int32') throw typeError(fn, `${name} must be a float tensor, got int32 of shape ${formatShape(t.shape)}`);
  if (t.rank < 1 || t.shape[t.rank - 1] === 0)
    throw rangeError(fn, `${name} must have shape [..., C] with C ≥ 1, got ${formatShape(t.shape)}`);
  const classes = t.shape[t.rank - 1];
  for (let i = 0; i < t.size; i++) {
    if (Number.isNaN(t.data[i])) throw rangeError(fn, `${name} holds NaN at flat position ${i}`);
  }
  return { rows: t.size / classes, classes };
}
