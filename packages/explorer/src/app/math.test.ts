import { composites, stages } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { mixedHtml, toTex } from './math';

const formulas = [
  ...[...stages, ...composites].flatMap((entry) => [entry.forward, ...Object.values(entry.backward)]),
  ...Object.values(derivations).flatMap((d) => [d.definition, ...Object.values(d.backward)]),
];

describe('toTex', () => {
  it('turns every registry and op formula into TeX that KaTeX parses', () => {
    expect(formulas.length).toBeGreaterThan(40);
    for (const formula of formulas) {
      expect(() => katex.renderToString(toTex(formula), { output: 'mathml', throwOnError: true, strict: 'ignore' }), formula).not.toThrow();
    }
  });

  it('keeps the spaces around words and never emits a TeX line break', () => {
    const tex = toTex('dŜ = P ⊙ (dP − rowsum(dP ⊙ P))  (0 where masked, since P = 0 there)');
    expect(tex).toContain('\\text{masked},\\ \\text{since}');
    expect(tex).not.toContain('\\\\');
    expect(toTex('dS = dŜ / √d_k')).toBe('dS = d\\hat{S} / \\sqrt{d_k}');
  });
});

describe('mixedHtml', () => {
  /** The text of the HTML outside its typeset <math> elements. */
  const prose = (html: string): string => html.replace(/<math[\s\S]*?<\/math>/g, '·').replace(/<[^>]+>/g, '');

  it("keeps short words and the article as prose ('if', 'is a'), not italic math run together", () => {
    const html = mixedHtml('Y_i = A_i if condition_i ≠ 0, else B_i; condition, A and B broadcast together; condition is a constant');
    expect(prose(html)).toContain(' if ');
    expect(prose(html)).toContain('condition is a constant');
    // 'a' as a symbol beside math stays math.
    expect(prose(mixedHtml('so a + b = c'))).not.toMatch(/\ba\b/);
  });
});
