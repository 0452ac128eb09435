import { builtinByQualifiedName } from './builtins';
import { derivedCase } from './second-order';
import type { CheckCase, CheckSource, Derivative } from './types';
import { userCheckAt } from './user-module';

/**
 * Rebuilding a check from its source, as a worker thread does: functions cannot cross threads,
 * so a built-in is made again by name, sizes and seed, and a user check by importing its module
 * again. `fingerprint` proves the rebuilt inputs equal the original ones bit for bit.
 */

/**
 * The case to check for a spec and derivative (gradcheck itself decides whether its finite
 * differences can re-evaluate only what a perturbation changes).
 *
 * @example
 * const c = caseToCheck(spec.build(), { order: 1 });
 */
export function caseToCheck(built: CheckCase, derivative: Derivative): CheckCase {
  return derivedCase(built, derivative);
}

/**
 * The case a source and derivative describe, built afresh (in a worker thread).
 *
 * @example
 * const c = await rebuildCase({ kind: 'builtin', name: 'composite:selfAttention', sizes, seed: 0 }, { order: 1 });
 */
export async function rebuildCase(source: CheckSource, derivative: Derivative): Promise<CheckCase> {
  const spec =
    source.kind === 'builtin'
      ? builtinByQualifiedName(source.name, source.sizes, source.seed)
      : await userCheckAt(source.path, source.index);
  return caseToCheck(spec.build(), derivative);
}

/**
 * A 32-bit FNV-1a hash of every input's shape and bytes, as hex. Equal inputs give equal
 * fingerprints; inputs drawn from an unseeded generator almost surely do not.
 *
 * @example
 * fingerprint(spec.build()) === fingerprint(spec.build()) // true when inputs() is seeded
 */
export function fingerprint(c: CheckCase): string {
  let hash = 0x811c9dc5;
  const mix = (byte: number): void => {
    hash = Math.imul(hash ^ byte, 0x01000193);
  };
  for (const input of c.inputs) {
    for (const dim of input.shape) mix(dim & 0xff);
    const bytes = new Uint8Array(input.data.buffer, input.data.byteOffset, input.data.byteLength);
    for (let i = 0; i < bytes.length; i++) mix(bytes[i]);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
