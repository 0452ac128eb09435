import { opCases } from '@attograd/ops';
import { layerCases } from 'attograd';
import { describe, expect, it } from 'vitest';
import { allBuiltins, builtinTargetNames } from '../src/check/builtins';

/** `attograd check all` walks the one table of op cases of @attograd/ops; it keeps no list of its own. */
describe('the built-in op checks', () => {
  it('are exactly the cases of @attograd/ops’ opCases, in table order, with their input names', () => {
    const sizes = { batch: undefined, seq: 3, dModel: 4, heads: 2 };
    const ops = allBuiltins(sizes, 0).filter((spec) => spec.kind === 'op');
    const table = Object.values(opCases).flat();
    expect(ops.map((spec) => spec.name)).toEqual(table.map((c) => c.name));
    ops.forEach((spec, i) => expect(spec.build().inputNames).toEqual([...table[i].inputNames]));
    expect(builtinTargetNames()).toEqual(expect.arrayContaining(Object.keys(opCases)));
  });
});

/** … and the one table of layer cases of @attograd/nn. */
describe('the built-in layer checks', () => {
  it('are exactly the rows of layerCases, in table order, after the ops, each reachable by its layer name', () => {
    const sizes = { batch: undefined, seq: 3, dModel: 4, heads: 2 };
    const all = allBuiltins(sizes, 0);
    const layers = all.filter((spec) => spec.kind === 'layer');
    expect(layers.map((spec) => spec.name)).toEqual(layerCases.map((c) => c.name));
    expect(all.findIndex((spec) => spec.kind === 'layer')).toBe(all.filter((spec) => spec.kind === 'op').length);
    layers.forEach((spec, i) => expect(spec.build().inputNames).toEqual(layerCases[i].build(0).inputNames));
    expect(builtinTargetNames()).toEqual(expect.arrayContaining(['Linear', 'GPT', 'TransformerBlock']));
  });
});
