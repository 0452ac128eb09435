/**
 * Higher order through attention: every stage and composite passes gradgradcheck (so
 * Hessian-vector products of the attention loss are exact), and forward mode (jvp) agrees with
 * finite differences.
 */
import { gradgradcheck } from '@attograd/gradcheck';
import { jvp, randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { composites, type RegistryEntry, stages } from '../src/index';

const entries: RegistryEntry[] = [...stages, ...composites];

/** The entry as a function of its differentiable inputs, the constants (mask, dK, heads) fixed. */
function asFunction(entry: RegistryEntry, inputs: Readonly<Record<string, Tensor>>): (...xs: Tensor[]) => Tensor {
  return (...xs) => entry.run({ ...inputs, ...Object.fromEntries(entry.inputNames.map((name, i) => [name, xs[i]])) });
}

describe.each(entries.map((entry) => [entry.key, entry] as const))('%s', (_key, entry) => {
  const inputs = entry.makeInputs({ seq: 3, dModel: 4, heads: 2, causal: true, seed: 31 });
  const differentiable = entry.inputNames.map((name) => inputs[name]);
  const fn = asFunction(entry, inputs);

  it('passes gradgradcheck', () => {
    const report = gradgradcheck(fn, differentiable, { seed: 3 });
    const failures = report.checks
      .filter((check) => !check.report.ok)
      .map((check) => ({ input: check.input, inputs: check.report.inputs }));
    expect(report.ok, JSON.stringify(failures)).toBe(true);
  });

  it('jvp matches central differences', () => {
    const generator = rng(32);
    const tangents = differentiable.map((x) => randn(x.shape, { rng: generator }));
    const { tangent } = jvp(fn, differentiable, tangents);
    const h = 1e-6;
    const at = (sign: number): Tensor =>
      fn(
        ...differentiable.map(
          (x, i) =>
            new Tensor(
              x.data.map((v, k) => v + sign * h * tangents[i].data[k]),
              x.shape,
            ),
        ),
      );
    const plus = at(1);
    const minus = at(-1);
    for (let k = 0; k < tangent.size; k++) {
      const numeric = (plus.data[k] - minus.data[k]) / (2 * h);
      expect(Math.abs(tangent.data[k] - numeric)).toBeLessThan(1e-7 * (1 + Math.abs(numeric)));
    }
  });
});
