import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conventions, glossary, notation, stageByKey, stages } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_TOLERANCE } from '../src/explain/three-way-check';
import { topics } from '../src/explain/training-topics';

/**
 * docs/derivations.md embeds each op's backward formulas between `<!-- derivation:OP -->` and
 * `<!-- /derivation -->`, one `input: formula` line each. These tests compare every block with
 * the op's exported `derivation.backward`, so the doc and the code cannot drift.
 */
const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs');
const docPath = resolve(docsDir, 'derivations.md');
const doc = readFileSync(docPath, 'utf8');

/** The blocks `<!-- KIND:NAME -->` … `<!-- /KIND -->` of a markdown text: NAME → { input → formula }. */
function markedBlocks(markdown: string, kind: 'derivation' | 'stage'): Map<string, Record<string, string>> {
  const blocks = new Map<string, Record<string, string>>();
  const pattern = new RegExp(`<!-- ${kind}:(\\w+) -->\\s*\`\`\`text\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${kind} -->`, 'g');
  for (const [, name, body] of markdown.matchAll(pattern)) {
    const formulas: Record<string, string> = {};
    for (const line of body.split('\n').filter((l) => l.trim() !== '')) {
      const colon = line.indexOf(': ');
      formulas[line.slice(0, colon).trim()] = line.slice(colon + 2).trim();
    }
    blocks.set(name, formulas);
  }
  return blocks;
}

/** The op blocks: op name → { input → formula }. */
const derivationBlocks = (markdown: string) => markedBlocks(markdown, 'derivation');
/** The stage blocks: stage key → { input → formula }. */
const stageBlocks = (markdown: string) => markedBlocks(markdown, 'stage');

/** The ops whose block differs from their exported derivation (or that export none). */
function driftedOps(markdown: string): string[] {
  return [...derivationBlocks(markdown)]
    .filter(([op, formulas]) => {
      const exported = derivations[op]?.backward;
      return exported === undefined || JSON.stringify(formulas) !== JSON.stringify({ ...exported });
    })
    .map(([op]) => op);
}

describe('docs/derivations.md', () => {
  it('has a derivation block for every op the attention stages are built from', () => {
    const blocks = derivationBlocks(doc);
    const markers = doc.match(/^<!-- derivation:/gm) ?? [];
    expect(blocks.size).toBe(markers.length); // no malformed block was skipped
    // the ops the attention registry says its stages use, plus the ones that split the heads
    const used = new Set([...stages.flatMap((stage) => stage.ops), 'reshape', 'permute']);
    expect(used.size).toBeGreaterThanOrEqual(6);
    for (const op of used) expect(blocks.has(op), `block for ${op}`).toBe(true);
  });

  it('has a derivation block for every op the training topics of explain show (issue 13)', () => {
    const blocks = derivationBlocks(doc);
    const sizes = { seq: 3, dModel: 4, heads: 1, seed: 0, causal: false };
    const used = new Set(topics.flatMap((topic) => [...topic.ops, ...topic.build(sizes).links.flatMap((l) => l.link.ops)]));
    expect([...used]).toEqual(expect.arrayContaining(['crossEntropy', 'embedding', 'gelu', 'layerNorm', 'matmul', 'slice', 'add']));
    for (const op of used) expect(blocks.has(op), `block for ${op}`).toBe(true);
  });

  it('every block equals the op’s exported derivation.backward, input by input', () => {
    for (const [op, formulas] of derivationBlocks(doc)) {
      expect(formulas, `docs/derivations.md block for ${op}`).toEqual({ ...derivations[op].backward });
    }
  });

  it('would catch a formula edited in the doc, or a block for an op that does not exist', () => {
    expect(driftedOps(doc)).toEqual([]);
    const edited = doc.replace('a: dA = dC·Bᵀ', 'a: dA = Bᵀ·dC');
    expect(driftedOps(edited)).toEqual(['matmul']);
    const unknown = `${doc}\n<!-- derivation:frobnicate -->\n\`\`\`text\nx: dX = dY\n\`\`\`\n<!-- /derivation -->\n`;
    expect(driftedOps(unknown)).toEqual(['frobnicate']);
  });

  it('has one stage block per registry stage, equal to the stage’s backward formulas', () => {
    const blocks = stageBlocks(doc);
    expect([...blocks.keys()].sort()).toEqual(stages.map((stage) => stage.key).sort());
    for (const stage of stages) expect(blocks.get(stage.key), `stage block ${stage.key}`).toEqual({ ...stage.backward });
    const edited = doc.replace('q: dQ = dS·K', 'q: dQ = dSᵀ·K');
    expect(stageBlocks(edited).get('scores')).not.toEqual({ ...stageByKey('scores').backward });
  });

  it('links only to files that exist', () => {
    const links = [...doc.matchAll(/\]\((\.\.?\/[^)#]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(existsSync(resolve(docsDir, link)), link).toBe(true);
  });

  it('links each formula block to the op file that implements it', () => {
    for (const op of derivationBlocks(doc).keys()) {
      const file = op.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      expect(doc, `link to ${file}.ts`).toContain(`(../packages/ops/src/${file}.ts)`);
    }
  });

  // issue 16: the notation, the conventions and the glossary are the records explain prints, and
  // the doc states the one tolerance explain uses.
  describe('the notation, conventions and glossary tables', () => {
    /** The rows of the markdown table between `<!-- KIND -->` and `<!-- /KIND -->` (header and rule dropped). */
    function tableRows(markdown: string, kind: string): string[][] {
      const match = new RegExp(`<!-- ${kind} -->\\n([\\s\\S]*?)<!-- /${kind} -->`).exec(markdown);
      if (match === null) return [];
      const lines = match[1]
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .slice(2);
      return lines.map((line) =>
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/\\\|/g, '|')),
      );
    }
    const expected = {
      notation: notation.map((e) => [e.symbols.join(' '), e.en, e.ko]),
      conventions: conventions.map((c) => [c.key, c.en, c.ko]),
      glossary: glossary.map((g) => [g.en, g.ko, (g.avoid ?? []).join(', ')]),
    };

    it.each(Object.keys(expected) as (keyof typeof expected)[])('the %s table equals the exported record, row by row', (kind) => {
      expect(tableRows(doc, kind)).toEqual(expected[kind]);
    });

    it('would catch an edited row', () => {
      const edited = doc.replace(notation[1].en, notation[1].en.replace('element-wise', 'elementwise'));
      expect(tableRows(edited, 'notation')).not.toEqual(expected.notation);
    });

    it('states the tolerance explain uses, and no other', () => {
      expect(/<!-- tolerance -->(.*?)<!-- \/tolerance -->/.exec(doc)?.[1]).toBe(AGREEMENT_TOLERANCE.toExponential(0));
      expect(doc).not.toMatch(/about 1e-8/);
    });

    it('derives what explain used to skip: W_o, the transpose of stage 1, rstd and the ε caveat', () => {
      for (const piece of [
        'dW_o = Cᵀ·dOut',
        'dC = dOut·W_oᵀ',
        'split_h(dOut·W_oᵀ)', // W_o backward
        'd(Kᵀ) = Qᵀ·dS',
        'dK = (Qᵀ·dS)ᵀ', // stage 1's transpose
        '∂var/∂x_j = (2/d) Σ_k (x_k − μ)(δ_kj − 1/d)',
        'Product rule on N_i',
        'rstd ε/(var + ε)', // stage 5's rstd
        'many\n   wrong rules pass',
        'dx = dy − rowmean(dy)', // item 6
      ]) {
        expect(doc, piece).toContain(piece);
      }
    });
  });
});
