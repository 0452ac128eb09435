import { describe, isRng, rng, type Rng, typeError } from '@attograd/tensor';

let shared: Rng | null = null;

/**
 * The generator a layer draws its initial weights from: `given` when there is one, otherwise one
 * shared generator seeded with 0 (so a script without seeds is still reproducible run to run).
 */
export function generatorFor(fn: string, given: unknown): Rng {
  if (given === undefined) return (shared ??= rng(0));
  if (!isRng(given)) throw typeError(fn, `rng must come from rng(seed), got ${describe(given)}`);
  return given;
}
