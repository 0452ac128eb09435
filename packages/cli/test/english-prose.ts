/**
 * The English-prose detector of the Korean guards (explain-text.test.ts, explain-training.test.ts).
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

const FUNCTION_WORDS = new Set([
  'and',
  'or',
  'the',
  'of',
  'to',
  'for',
  'with',
  'over',
  'since',
  'by',
  'at',
  'is',
  'are',
  'from',
  'each',
  'every',
  'per',
  'but',
  'not',
  'only',
  'then',
  'so',
  'as',
  'in',
  'on',
  'its',
  'it',
  'this',
  'that',
  'when',
  'if',
  'else',
  'because',
  'than',
  'into',
  'both',
  'all',
  'none',
  'otherwise',
  'elsewhere',
  'an',
  'there',
  'here',
  'which',
  'nothing',
  'summed',
  'returns',
  'causal',
]);

/** The token as a Latin word (lower case), or null. */
function latinWord(token: string): string | null {
  const core = token.replace(/^[([{"'`]+/, '').replace(/[)\]}"'`,.;:!?]+$/, '');
  return /^[A-Za-z][A-Za-z'’]*[A-Za-z]$/.test(core) ? core.toLowerCase() : null;
}

/** True when the line reads as English prose (see the definitions above). */
export function isEnglishProse(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  let run = 0;
  for (const token of tokens) {
    const word = latinWord(token);
    if (word !== null && FUNCTION_WORDS.has(word) && !/\($/.test(token)) return true;
    run = word === null ? 0 : run + 1;
    if (run >= 3) return true;
  }
  return false;
}

/** The visible text of an HTML report, one text node a line (scripts, styles and SVG dropped, entities decoded). */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style|svg)[\s\S]*?<\/\1>/g, '\n')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A printed matrix row or a file path: numbers and code, not text. */
export const isData = (line: string): boolean => /^\s*\[[\s\d.eE+\-−∞NaInfy]*\]\s*$/.test(line) || /packages\/\S+\.ts/.test(line);
