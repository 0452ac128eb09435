import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noGrad } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { CASE_SIZES, opCases } from '../src/index';

/**
 * docs/op-cases.md is generated from the one table of op cases, so the docs list exactly the
 * cases the tests check. After changing src/cases.ts: `UPDATE_DOCS=1 npx vitest run test/cases-doc.test.ts`.
 */
const docPath = fileURLToPath(new URL('../../../docs/op-cases.md', import.meta.url));

function shapes(c: (typeof opCases)[string][number]): string {
  return c
    .inputs(CASE_SIZES, 0)
    .map((t, i) => `${c.inputNames[i]} [${t.shape.join(', ')}]${t.requiresGrad ? '' : ' (constant)'}`)
    .join(', ');
}

function render(): string {
  const rows = Object.values(opCases)
    .flat()
    .map((c) => {
      const output = noGrad(() => c.fn(...c.inputs(CASE_SIZES, 0))).shape;
      return `| \`${c.name}\` | ${shapes(c)} → [${output.join(', ')}] | ${c.differentiable.join(', ')} | ${c.domain} | ${c.nonSmooth ?? '—'} |`;
    });
  return [
    '# Op cases',
    '',
    '<!-- Generated from `opCases` (packages/ops/src/cases.ts) by packages/ops/test/cases-doc.test.ts; do not edit by hand. -->',
    '',
    'Every case the op tests, `attograd check all` and the fuzz suite check, with its shapes at the',
    `test sizes (T = ${CASE_SIZES.seq}, d = ${CASE_SIZES.dModel}; cases on X follow \`--batch/--seq/--dmodel\`), the inputs`,
    'differentiated (named as in the derivation), where the random values come from, and the',
    'non-smooth points they keep away from.',
    '',
    '| case | inputs → output | differentiable | domain | non-smooth points avoided |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

describe('docs/op-cases.md', () => {
  it('is the op-case table, rendered', () => {
    const expected = render();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, expected);
    expect(readFileSync(docPath, 'utf8')).toBe(expected);
  });
});
