import { composites, stages, type RegistryEntry } from '@attograd/attention';
import type { GradcheckFn } from '@attograd/gradcheck';
import { opCases, type OpCase } from '@attograd/ops';
import { type LayerCase, layerCases } from 'attograd';
import type { Tensor } from '@attograd/tensor';
import type { CheckCase, CheckKind, CheckSpec, Sizes } from './types';

/**
 * The built-in checks: every case of every op (the one table of op cases, `opCases` of
 * @attograd/ops, at the --batch/--seq/--dmodel sizes), every nn layer (the table of layer cases,
 * `layerCases` of @attograd/nn, at its own small fixed sizes), every attention stage alone, and
 * the composites.
 * A check is named by its kind and name (`op:softmax`, `stage:softmax`); this qualified name is
 * also how a worker thread rebuilds it.
 */

/** The case of an op as a check. */
function opSpec(opCase: OpCase, sizes: Sizes, seed: number): CheckSpec {
  return {
    name: opCase.name,
    kind: 'op',
    source: { kind: 'builtin', name: `op:${opCase.name}`, sizes, seed },
    build: () => ({ fn: opCase.fn, inputs: opCase.inputs(sizes, seed), inputNames: [...opCase.inputNames] }),
  };
}

/** A row of the layer table as a check: the layer's input and every parameter are checked. */
function layerSpec(layerCase: LayerCase, sizes: Sizes, seed: number): CheckSpec {
  return {
    name: layerCase.name,
    kind: 'layer',
    source: { kind: 'builtin', name: `layer:${layerCase.name}`, sizes, seed },
    build: () => layerCase.build(seed),
  };
}

/**
 * A registry entry as a check: its differentiable inputs are the checked inputs, its constants
 * (mask, dK, heads) are closed over.
 */
function entryCase(entry: RegistryEntry, sizes: Sizes, seed: number): CheckCase {
  const made = entry.makeInputs({ batch: sizes.batch, seq: sizes.seq, dModel: sizes.dModel, heads: sizes.heads, seed });
  const constants: Record<string, Tensor> = {};
  for (const name of entry.constantNames) if (made[name] !== undefined) constants[name] = made[name];
  const names = entry.inputNames.slice();
  const fn: GradcheckFn = (...inputs) => {
    const all: Record<string, Tensor> = { ...constants };
    names.forEach((name, i) => (all[name] = inputs[i]));
    return entry.run(all);
  };
  return { fn, inputs: names.map((name) => made[name]), inputNames: names };
}

function entrySpec(entry: RegistryEntry, kind: CheckKind, sizes: Sizes, seed: number): CheckSpec {
  return {
    name: entry.key,
    kind,
    source: { kind: 'builtin', name: `${kind}:${entry.key}`, sizes, seed },
    build: () => entryCase(entry, sizes, seed),
  };
}

function stageSpecs(sizes: Sizes, seed: number): CheckSpec[] {
  return stages.map((stage) => entrySpec(stage, 'stage', sizes, seed));
}

function compositeSpecs(sizes: Sizes, seed: number): CheckSpec[] {
  const stageChecks = stageSpecs(sizes, seed);
  return composites.map((composite) => ({
    ...entrySpec(composite, 'composite', sizes, seed),
    stages: composite.stageKeys.map((key) => stageChecks.find((spec) => spec.name === key)!),
  }));
}

/**
 * Every built-in check in the order `attograd check all` runs them: ops (table order), nn layers
 * (table order), the stages (0–5), then selfAttention, multiHeadAttention and attentionBlock.
 *
 * @example
 * allBuiltins({ batch: undefined, seq: 4, dModel: 8, heads: 2 }, 0).map((spec) => spec.name)
 */
export function allBuiltins(sizes: Sizes, seed: number): CheckSpec[] {
  const ops = Object.values(opCases).flatMap((cases) => cases.map((c) => opSpec(c, sizes, seed)));
  const layers = layerCases.map((c) => layerSpec(c, sizes, seed));
  return [...ops, ...layers, ...stageSpecs(sizes, seed), ...compositeSpecs(sizes, seed)];
}

/**
 * The built-in checks a target names, or null when it names none. A target is `all`, an op
 * (`softmax`: every case of it), an op case (`add/broadcast`), a layer (`Linear`: every case of
 * it) or layer case (`Linear/no-bias`), a stage key (`weightedSum`) or a composite key
 * (`selfAttention`); a name that is both an op and a stage (`softmax`) selects both, and `op:`,
 * `layer:`, `stage:` or `composite:` in front selects one kind.
 *
 * @example
 * builtinsFor('softmax', sizes, 0) // the op softmax and the stage softmax
 */
export function builtinsFor(target: string, sizes: Sizes, seed: number): CheckSpec[] | null {
  const all = allBuiltins(sizes, seed);
  if (target === 'all') return all;
  const colon = target.indexOf(':');
  const kind = colon > 0 ? target.slice(0, colon) : null;
  const name = colon > 0 ? target.slice(colon + 1) : target;
  const matches = all.filter(
    (spec) =>
      (kind === null || spec.kind === kind) &&
      (spec.name === name || ((spec.kind === 'op' || spec.kind === 'layer') && spec.name.split('/')[0] === name)),
  );
  return matches.length > 0 ? matches : null;
}

/**
 * The built-in check with this qualified name (`op:add/broadcast`, `stage:softmax`), as a worker
 * thread rebuilds it; throws when there is none.
 *
 * @example
 * builtinByQualifiedName('stage:softmax', sizes, 0).build()
 */
export function builtinByQualifiedName(qualified: string, sizes: Sizes, seed: number): CheckSpec {
  const spec = allBuiltins(sizes, seed).find((s) => `${s.kind}:${s.name}` === qualified);
  if (spec === undefined) throw new Error(`attograd check: no built-in check named '${qualified}'`);
  return spec;
}

/**
 * The target names `attograd check` accepts besides paths, for error messages and help.
 *
 * @example
 * builtinTargetNames().includes('selfAttention') // true
 */
export function builtinTargetNames(): string[] {
  return [
    ...new Set([
      'all',
      ...Object.keys(opCases),
      ...layerCases.map((c) => c.name.split('/')[0]),
      ...stages.map((s) => s.key),
      ...composites.map((c) => c.key),
    ]),
  ];
}
