import { glossary, notation, stages } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { htmlText, isData, isEnglishProse } from './english-prose';
import { run } from './run-main';

/**
 * Guards of issue 16: what `attograd explain` prints is complete in Korean, labels every error it
 * prints, and declares every symbol it uses in the notation section printed once at the top.
 *
 * Definitions (the same in docs/derivations.md, "Notation"):
 * - A *Latin word* is a whitespace-separated token that, once stripped of surrounding brackets
 *   and trailing punctuation, is made only of Latin letters (an apostrophe allowed) and is at
 *   least two letters long.
 * - A line is *English prose* when it has three or more consecutive Latin words, or contains
 *   one of a list of English function words (and, or, the, of, to, over, since, …) as a token.
 *   Formulas never do: their symbols are joined by operators (=, ·, ⊙, −, parentheses), their
 *   names carry subscripts or brackets (W_q, rowsum(…)), and single letters are not words.
 */

/** Runs `attograd explain …` in-process and returns what it printed (status 0 required). */
async function explain(args: string[]): Promise<string> {
  const { status, stdout } = await run(['explain', ...args]);
  expect(status, args.join(' ')).toBe(0);
  return stdout;
}

afterEach(() => vi.restoreAllMocks());

const RUNS: string[][] = [['all'], ['all', '--heads', '2', '--causal'], ...stages.map((stage) => [String(stage.id)])];

describe('the prose detector', () => {
  it('flags English prose and leaves formulas alone', () => {
    for (const prose of [
      '(summed over batch axes)',
      'over allowed l',
      'the residual passes dH to both X and Z',
      '∂C_i/∂A_i = 1 and ∂C_i/∂B_i = 1',
      'saved: inputs A and B',
      'run returns them stacked',
    ]) {
      expect(isEnglishProse(prose), prose).toBe(true);
    }
    for (const formula of [
      'dŜ = P ⊙ (dP − rowsum(dP ⊙ P))',
      'Q = X·W_q, K = X·W_k, V = X·W_v;  X: [..., T, d]',
      'y_i = exp(x_i − max x) / Σ_j exp(x_j − max x)',
      'P = softmax_row(where(M, Ŝ, −∞))',
      '투영 (Q, K, V)',
      'dX (손으로 유도) [3, 4] =',
    ]) {
      expect(isEnglishProse(formula), formula).toBe(false);
    }
  });
});

describe('explain --lang ko is complete in Korean', () => {
  it.each(RUNS.map((args) => [args.join(' ')] as const))('explain %s --lang ko: no line of English prose', async (joined) => {
    const output = await explain([...joined.split(' '), '--lang', 'ko']);
    const english = output.split('\n').filter((line) => !isData(line) && isEnglishProse(line));
    expect(english, english.slice(0, 12).join('\n')).toEqual([]);
  });

  it('explain all --heads 2 --causal --lang ko --html: no line of English prose in the report’s text either', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'attograd-explain-')), 'ko.html');
    await explain(['all', '--heads', '2', '--causal', '--lang', 'ko', '--html', file]);
    const text = htmlText(readFileSync(file, 'utf8'));
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(100);
    const english = lines.filter((line) => !isData(line) && isEnglishProse(line));
    expect(english, english.slice(0, 12).join('\n')).toEqual([]);
  });

  it('uses one Korean term per concept: none of the glossary’s avoided words appears', async () => {
    const output = await explain(['all', '--heads', '2', '--causal', '--lang', 'ko']);
    for (const entry of glossary) for (const avoided of entry.avoid ?? []) expect(output, `${entry.en}: ${avoided}`).not.toContain(avoided);
  });
});

describe('every printed error says whether it is absolute or relative', () => {
  it.each([['en'], ['ko']] as const)('--lang %s', async (lang) => {
    const output = await explain(['all', '--heads', '2', '--causal', '--lang', lang]);
    const errorWord = lang === 'en' ? /difference|error/i : /차이|오차/;
    const label = lang === 'en' ? /absolute|relative/ : /절대|상대/;
    const errorLines = output.split('\n').filter((line) => errorWord.test(line) && /\d\.\d+e[-+]\d+|\d\.\d{2}\b/.test(line));
    expect(errorLines.length).toBeGreaterThan(10);
    for (const line of errorLines) expect(line, line).toMatch(label);
  });
});

/**
 * The symbols a line uses: one-letter tensor names with an optional subscript (the gradient prefix
 * d dropped; an element subscript of index letters, as in S_ij or Ŝ_il, reduced to its tensor),
 * Greek letters, operators, and function names written with their parenthesis. Code names such as
 * F.softmax are not symbols.
 */
function symbolsIn(line: string): string[] {
  const found: string[] = [];
  for (const m of line.matchAll(/(?<![A-Za-z0-9_.])d?([A-Za-z](?:_[A-Za-z0-9]+)?)(?![A-Za-z0-9_(]|\.[A-Za-z])/g)) found.push(m[1]);
  for (const m of line.matchAll(/(?<![A-Za-z0-9_.])([a-z][a-z_]*)\(/g)) found.push(`${m[1]}(`);
  for (const m of line.matchAll(/[ŜΣμεγβδ∂√⊙·ᵀ∞⟨⟩Δ](?:_[A-Za-z0-9]+)?/g)) found.push(m[0]);
  return found.map((symbol) =>
    symbol.replace(/^([^_]+)_[ijklcp]{1,2}$/, (whole, base: string) => (base === 'Σ' || base === 'δ' ? whole : base)),
  );
}

describe('the notation section', () => {
  it('is printed once, at the top, in both languages', async () => {
    for (const lang of ['en', 'ko'] as const) {
      const output = await explain(['all', '--lang', lang]);
      const heading = lang === 'en' ? 'Notation' : '표기법';
      expect(
        output.split('\n').filter((line) => line.trim() === heading),
        lang,
      ).toHaveLength(1);
      expect(output.indexOf(heading)).toBeLessThan(output.indexOf('━━'));
    }
  });

  it('declares every symbol explain prints', async () => {
    const declared = new Set(notation.flatMap((entry) => entry.symbols));
    for (const args of [['all'], ['all', '--heads', '2', '--causal']]) {
      const output = await explain([...args, '--lang', 'ko']);
      const body = output.slice(output.indexOf('━━'));
      const used = new Set(
        body
          .split('\n')
          .filter((line) => !isData(line))
          .flatMap(symbolsIn),
      );
      const missing = [...used].filter((symbol) => !declared.has(symbol));
      expect(missing, `${args.join(' ')}: ${missing.join(' ')}`).toEqual([]);
    }
  });

  it('maps each op’s symbols to the stage’s, for every op a stage shows', () => {
    for (const stage of stages) {
      for (const op of stage.ops) {
        expect(stage.opSymbols?.[op]?.en, `${stage.key} ${op}`).toMatch(/=/);
      }
    }
    expect(derivations.softmax.ko.steps.length).toBe(derivations.softmax.steps.length);
  });
});

describe('one name, one shape', () => {
  it.each([['1'], ['2'], ['3']])(
    'explain all --heads %s: every tensor name in the shape tables has one shape (Q [T, d] vs Q_heads [n_h, T, d_k])',
    async (heads) => {
      const output = await explain(['all', '--heads', heads, '--dmodel', '6', '--causal']);
      const shapes = new Map<string, Set<string>>();
      for (const match of output.matchAll(/^ {2}(\S+)\s+(?:input|output|constant \(no gradient\))\s+(\[[\d, ]*\])$/gm)) {
        shapes.set(match[1], (shapes.get(match[1]) ?? new Set()).add(match[2]));
      }
      expect(shapes.get('Q')).toEqual(new Set(['[3, 6]']));
      expect(shapes.get('Q_heads')).toEqual(new Set([`[${heads}, 3, ${6 / Number(heads)}]`]));
      expect(shapes.get('W_o')).toEqual(new Set(['[6, 6]']));
      const ambiguous = [...shapes].filter(([, seen]) => seen.size > 1).map(([name, seen]) => `${name}: ${[...seen].join(' ')}`);
      expect(ambiguous).toEqual([]);
    },
  );
});

describe('the steps a learner cannot fill in alone are printed', () => {
  it.each([['en'], ['ko']] as const)(
    '--lang %s: stage 1’s transpose, stage 5’s rstd, softmax’s Jᵀ = J, the head split and merge',
    async (lang) => {
      const scoresText = await explain(['1', '--lang', lang]);
      for (const piece of ['B = Kᵀ', 'd(Kᵀ) = Aᵀ·dS = Qᵀ·dS', 'dK = (Qᵀ·dS)ᵀ = dSᵀ·Q']) expect(scoresText).toContain(piece);
      const norm = await explain(['5', '--lang', lang]);
      for (const piece of [
        '∂var/∂x_j = (2/d) Σ_k (x_k − μ)(δ_kj − 1/d)',
        'Σ_k (x_k − μ) = 0',
        '∂rstd/∂x_j',
        'rstd (δ_ij − 1/d − N_i N_j / d)',
        'X = H',
      ])
        expect(norm).toContain(piece);
      expect(norm).toContain(lang === 'en' ? 'product rule' : '곱의 미분법');
      const soft = await explain(['3', '--lang', lang]);
      expect(soft).toContain('Jᵀ dy = J dy');
      expect(soft).toContain('x = Ŝ_i');
      const headed = await explain(['all', '--heads', '2', '--lang', lang]);
      expect(headed).toContain('Q, K, V [3, 4] → Q_heads, K_heads, V_heads [2, 3, 2]');
      expect(headed).toContain('Z_heads [2, 3, 2] → concat_h(Z_h) [3, 4] → Z = concat_h(Z_h)·W_o [3, 4]');
      expect(headed).toContain('W_o');
      for (const piece of ['dW_o = Σ_batch concat_h(Z_h)ᵀ·dZ', 'd concat_h(Z_h) = dZ·W_oᵀ', 'dZ_heads = split_h(dZ·W_oᵀ)'])
        expect(headed).toContain(piece);
    },
  );
});
