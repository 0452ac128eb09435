/**
 * Broadcasting against the memory-bandwidth limit (issue 14, goal 2): element-wise binary ops,
 * where / maskedFill and the broadcast-gradient reduction, forward and backward, each timed side
 * by side with a plain typed-array copy of its output's size in the same run. The copy allocates
 * its result (`slice()`), as every op does; a copy into an existing array (`set`) is shown too.
 *
 * Each timed batch (two calls) starts after a full collection (so run it with --expose-gc).
 *
 * `pnpm bench:broadcast` sets MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ so glibc keeps freed
 * buffers instead of returning them to the OS: on the heavily loaded development VM, faulting in
 * the fresh pages of a 4 MB buffer took 80–300 ms (against 0.5 ms for the copy itself), on
 * whichever candidate happened to get fresh pages, which drowned every ratio. The setting affects
 * the op and the copy alike.
 *
 *   node --expose-gc --import tsx src/broadcast.ts [--rounds=31] [--only=<text>]
 */
import { gradients, noGrad, sumToShape, Tensor } from '@attograd/tensor';
import { add, maskedFill, mean, mul, sub, sum, where } from '@attograd/ops';
import { formatRatio, sideBySide } from './side-by-side';
import { randomValues } from './work';

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 31);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const B = 64,
  T = 128,
  d = 64,
  H = 4,
  BH = 8;
const activations = [B, T, d];
const scores = [BH, H, T, T];

let seed = 100;
function input(shape: number[], requiresGrad = true): Tensor {
  const size = shape.reduce((p, q) => p * q, 1);
  return new Tensor(randomValues(size, seed++), shape, { requiresGrad });
}

/** A causal mask: 1 above the diagonal. */
function causalMask(): Tensor {
  const values = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = 1;
  return new Tensor(values, [T, T]);
}

interface Pattern {
  label: string;
  /** The op's result given its inputs. */
  forward: () => Tensor;
  /** The inputs that receive gradients (empty: forward only). */
  inputs: Tensor[];
  /** The size of the copy it is compared with: the largest tensor it reads or writes. */
  copySize: number;
}

function patterns(): Pattern[] {
  const x = input(activations);
  const y = input(activations);
  const s = input(scores);
  const mask = causalMask();
  const list: Pattern[] = [];
  const push = (label: string, forward: () => Tensor, inputs: Tensor[]) =>
    list.push({ label, forward, inputs, copySize: Math.max(...[...inputs, noGrad(forward)].map((t) => t.size)) });
  push('add same shape [64,128,64]', () => add(x, y), [x, y]);
  const two = input([]);
  push('mul scalar [64,128,64]·[]', () => mul(x, two), [x, two]);
  const bias = input([d]);
  push('add trailing vector [64,128,64]+[64]', () => add(x, bias), [x, bias]);
  const rowMask = input([T, T]);
  push('add row [8,4,128,128]+[128,128]', () => add(s, rowMask), [s, rowMask]);
  const column = input([BH, H, T, 1]);
  push('sub column [8,4,128,128]−[8,4,128,1]', () => sub(s, column), [s, column]);
  push('where [128,128] mask, [8,4,128,128], −∞', () => where(mask, -Infinity, s), [s]);
  push('maskedFill [8,4,128,128] by [128,128]', () => maskedFill(s, mask, -1e9), [s]);
  const full = input(activations, false);
  const fullScores = input(scores, false);
  push('sumToShape [64,128,64]→[64]', () => sumToShape(full, [d]), [full]);
  push('sumToShape [8,4,128,128]→[128,128]', () => sumToShape(fullScores, [T, T]), [fullScores]);
  push('sum axes 0,1 [64,128,64]→[64]', () => sum(x, [0, 1]), [x]);
  push('sum last axis [64,128,64]→[64,128]', () => sum(x, -1), [x]);
  push('mean axis 0 [8,4,128,128]→[4,128,128]', () => mean(s, 0), [s]);
  return list;
}

function main(): void {
  console.log(
    `broadcasting vs copy, ${rounds} interleaved rounds; ratio = copy time / op time (1 = memory speed; the copy is of the largest tensor the op reads or writes), median (IQR)`,
  );
  console.log('| pattern | pass | op ms | copy ms (slice) | op / copy speed | copy into existing (set) ms |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const pattern of patterns()) {
    if (only !== undefined && !pattern.label.includes(only)) continue;
    const source = randomValues(pattern.copySize, 3);
    const target = source.slice();
    const copy = () => source.slice();
    const copyInto = () => target.set(source);
    const passes: Array<[string, () => unknown]> = [['fwd', () => noGrad(pattern.forward)]];
    if (pattern.inputs.some((t) => t.requiresGrad)) {
      const y = pattern.forward();
      const cotangent = new Tensor(randomValues(y.size, 7), y.shape);
      passes.push(['bwd', () => gradients(y, pattern.inputs, { gradOutput: cotangent, retainGraph: true })]);
    }
    for (const [pass, run] of passes) {
      const result = sideBySide({ op: run, copy, copyInto }, 'copy', { rounds, batch: 2, warmup: 5, collect: true });
      const ms = (name: string) => result.medianMs[name].toFixed(3);
      console.log(`| ${pattern.label} | ${pass} | ${ms('op')} | ${ms('copy')} | ${formatRatio(result.ratio.op)} | ${ms('copyInto')} |`);
    }
  }
}

main();
