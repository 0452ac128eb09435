import { describe, expect, it } from 'vitest';
import { gradients, type Tensor, topologicalOrder, withLabel } from '@attograd/tensor';
import { derivations } from '@attograd/ops';
import { composites, type InputSizes, multiHeadAttention, type RegistryEntry, stageByKey, stages } from '../src/index';
import { allFinite, cotangentFor } from './helpers';

const entries: RegistryEntry[] = [...stages, ...composites];
const sizeList: InputSizes[] = [
  { seq: 3, dModel: 4 },
  { batch: 2, seq: 5, dModel: 6, heads: 3, seed: 9 },
  { batch: 1, seq: 1, dModel: 2, heads: 2, causal: true, seed: 10 },
  { seq: 7, dModel: 8, heads: 4, causal: true, seed: 11 },
];

/** Every op of the graph below `output`, with its label. */
function labelledOps(output: Tensor): { op: string; label: string | undefined }[] {
  return topologicalOrder(output)
    .filter((t) => t.gradFn !== null)
    .map((t) => ({ op: t.gradFn!.op, label: t.gradFn!.label }));
}

describe('the stages registry', () => {
  it('lists the stages in the order the block runs them, with stable keys', () => {
    expect(stages.map((s) => s.id)).toEqual([0, 1, 2, 3, 4, 6, 5]);
    expect(stages.map((s) => s.key)).toEqual([
      'projection',
      'scores',
      'scaling',
      'softmax',
      'weightedSum',
      'outputProjection',
      'residualLayerNorm',
    ]);
    expect(composites.map((c) => c.key)).toEqual(['selfAttention', 'multiHeadAttention', 'attentionBlock']);
  });

  it.each(entries.map((e) => [e.key, e] as const))('%s: titles and explanations in English and Korean', (_key, entry) => {
    for (const language of ['en', 'ko'] as const) {
      expect(entry.title[language].trim().length).toBeGreaterThan(2);
      for (const part of ['what', 'why', 'result'] as const) {
        const text = entry.explanation[language][part];
        expect(text.trim().length, `${language}.${part}`).toBeGreaterThan(20);
        // Korean text is in Hangul; English text has none.
        expect(/[\uac00-\ud7a3]/.test(text), `${language}.${part}`).toBe(language === 'ko');
      }
    }
  });

  it.each(entries.map((e) => [e.key, e] as const))(
    '%s: notes, steps and op symbol maps in both languages, one Korean line per English line',
    (_key, entry) => {
      const hangul = /[\uac00-\ud7a3]/;
      for (const part of [entry.notes, entry.steps]) {
        if (part === undefined) continue;
        expect(part.ko.length).toBe(part.en.length);
        for (const line of part.ko) expect(line).toMatch(hangul);
        for (const line of part.en) expect(line).not.toMatch(hangul);
      }
      for (const [op, map] of Object.entries(entry.opSymbols ?? {})) {
        expect(entry.ops, op).toContain(op);
        expect(map.en).toMatch(/=/);
        expect(map.ko).toMatch(/=/);
      }
      // formulas only: no English prose inside the forward and backward formulas (issue 16)
      for (const formula of [entry.forward, ...Object.values(entry.backward)]) {
        expect(formula).not.toMatch(/\b(over|where masked|since|summed|the|and|with|returns|three paths|four paths|etc)\b/);
      }
    },
  );

  it.each(entries.map((e) => [e.key, e] as const))('%s: formulas for every input and ops that exist in @attograd/ops', (_key, entry) => {
    expect(entry.forward.length).toBeGreaterThan(5);
    expect(Object.keys(entry.backward).sort()).toEqual([...entry.inputNames].sort());
    for (const formula of Object.values(entry.backward)) expect(formula).toMatch(/^d/);
    expect(entry.ops.length).toBeGreaterThan(0);
    for (const op of entry.ops) expect(derivations, op).toHaveProperty(op);
  });

  describe.each(sizeList)('makeInputs, run and manualBackward for %o', (sizes) => {
    it.each(entries.map((e) => [e.key, e] as const))('%s', (_key, entry) => {
      const inputs = entry.makeInputs(sizes);
      for (const name of entry.inputNames) {
        expect(inputs[name].requiresGrad, name).toBe(true);
        expect(inputs[name].dtype).toBe('float64');
      }
      for (const name of Object.keys(inputs)) {
        expect([...entry.inputNames, ...entry.constantNames], name).toContain(name);
        if (entry.constantNames.includes(name)) expect(inputs[name].requiresGrad).toBe(false);
      }
      expect('mask' in inputs).toBe(sizes.causal === true && entry.constantNames.includes('mask'));
      const output = entry.run(inputs);
      expect(allFinite(output)).toBe(true);
      const dOut = cotangentFor(output, 3);
      const manual = entry.manualBackward(inputs, dOut);
      const auto = gradients(
        output,
        entry.inputNames.map((name) => inputs[name]),
        { gradOutput: dOut },
      );
      entry.inputNames.forEach((name, i) => {
        expect(manual[name].shape, name).toEqual(inputs[name].shape);
        expect(manual[name].requiresGrad, `${name}: hand-derived gradients are plain numbers`).toBe(false);
        expect(manual[name].gradFn).toBeNull();
        for (let j = 0; j < auto[i].size; j++) expect(manual[name].data[j]).toBeCloseTo(auto[i].data[j], 10);
      });
    });
  });

  it('stage outputs have the documented shapes', () => {
    const sizes = { batch: 2, seq: 5, dModel: 6, heads: 3 };
    const shapes = stages.map((stage) => stage.run(stage.makeInputs(sizes)).shape);
    expect(shapes).toEqual([
      [3, 2, 5, 6],
      [2, 3, 5, 5],
      [2, 3, 5, 5],
      [2, 3, 5, 5],
      [2, 3, 5, 2],
      [2, 5, 6],
      [2, 5, 6],
    ]);
  });

  it('weights are scaled by 1/√d', () => {
    const { wq } = stageByKey('projection').makeInputs({ seq: 3, dModel: 64, seed: 2 });
    const variance = Array.from(wq.data).reduce((total, v) => total + v * v, 0) / wq.size;
    expect(variance).toBeGreaterThan(0.8 / 64);
    expect(variance).toBeLessThan(1.2 / 64);
  });
});

describe('stage labels on the recorded graph', () => {
  it('every op recorded by a stage carries the stage key as its label', () => {
    for (const stage of stages) {
      const ops = labelledOps(stage.run(stage.makeInputs({ seq: 3, dModel: 4, causal: true })));
      expect(ops.length, stage.key).toBeGreaterThan(0);
      for (const { op, label } of ops) expect(label, `${stage.key}: ${op}`).toBe(stage.key);
    }
  });

  it('attentionBlock’s graph is labelled with all six of its stages, in order of use', () => {
    const block = composites[2];
    const labels = labelledOps(block.run(block.makeInputs({ seq: 3, dModel: 4, causal: true }))).map((o) => o.label);
    expect([...new Set(labels)]).toEqual(block.stageKeys);
    expect(block.stageKeys).toEqual(stages.map((s) => s.key).filter((key) => key !== 'outputProjection'));
  });

  it('multiHeadAttention labels its head split and its output projection (merge included) too, nested under an outer label', () => {
    const entry = composites[1];
    const { x, wq, wk, wv, wo } = entry.makeInputs({ seq: 3, dModel: 4, heads: 2 });
    const out = withLabel('layer0', () => multiHeadAttention(x, { wq, wk, wv, wo }, { heads: 2 }));
    const labels = new Set(labelledOps(out).map((o) => o.label));
    expect(labels).toEqual(
      new Set(['projection', 'splitHeads', 'scores', 'scaling', 'softmax', 'weightedSum', 'outputProjection'].map((l) => `layer0/${l}`)),
    );
  });
});
