import katex from 'katex';
import { escapeHtml } from '../html';

/**
 * The registry's formulas are written in Unicode math (`dŜ = P ⊙ (dP − rowsum(dP ⊙ P))`) so that a
 * terminal can print them. For the page they become TeX and KaTeX renders them to MathML (no
 * fonts, no style sheet, nothing fetched).
 */

const FUNCTIONS = new Set([
  'exp',
  'max',
  'log',
  'sum',
  'mean',
  'var',
  'rowsum',
  'colsum',
  'softmax',
  'softmax_row',
  'rstd',
  'where',
  'mask',
  'diag',
  'concat',
  'concat_h',
  'sqrt',
  'mergeHeads',
  'splitHeads',
  'LayerNorm',
  'selfAttention',
  'layerNorm',
  'rowmean',
  'stack',
  'reshape',
  'permute',
  'transpose',
  'out',
]);

const SYMBOLS: ReadonlyArray<[RegExp, string]> = [
  [/Ŝ/g, '\\hat{S}'],
  [/P̃/g, '\\tilde{P}'],
  [/⊙/g, '\\odot '],
  [/·/g, '\\cdot '],
  [/ᵀ/g, '^{\\top}'],
  [/−/g, '-'],
  [/Σ/g, '\\sum'],
  [/∂/g, '\\partial '],
  [/→/g, '\\to '],
  [/⇒/g, '\\Rightarrow '],
  [/≈/g, '\\approx '],
  [/≤/g, '\\le '],
  [/≥/g, '\\ge '],
  [/≠/g, '\\ne '],
  [/∞/g, '\\infty '],
  [/ε/g, '\\varepsilon '],
  [/γ/g, '\\gamma '],
  [/β/g, '\\beta '],
  [/μ/g, '\\mu '],
  [/δ/g, '\\delta '],
  [/λ/g, '\\lambda '],
  [/σ/g, '\\sigma '],
  [/α/g, '\\alpha '],
  [/⊗/g, '\\otimes '],
  [/∈/g, '\\in '],
  [/…|\.\.\./g, '\\ldots '],
  [/⁻¹/g, '^{-1}'],
  [/⁻/g, '^{-}'],
  [/²/g, '^2'],
  [/³/g, '^3'],
  [/¹/g, '^1'],
  [/₁/g, '_1'],
  [/₂/g, '_2'],
  [/ₖ/g, '_k'],
  [/ᵢ/g, '_i'],
  [/ⱼ/g, '_j'],
  [/ᵗ/g, '^t'],
  [/√/g, '√'],
];

/** Unicode math → TeX. */
export function toTex(text: string): string {
  let tex = text
    .replace(/[{}]/g, (c) => `\\${c}`)
    .replace(/%/g, '\\%')
    .replace(/#/g, '\\#')
    .replace(/&/g, '\\&');
  tex = tex.replace(/_([A-Za-z0-9]{2,})/g, '_{$1}');
  tex = tex.replace(/(?<![A-Za-z\\])([A-Za-z]{3,})(?![A-Za-z])/g, (word) =>
    FUNCTIONS.has(word) ? `\\operatorname{${word}}` : `\\text{${word}}`,
  );
  // TeX drops spaces in math: keep the ones around words as explicit spaces ("over allowed l").
  tex = tex.replace(/(\\(?:text|operatorname)\{[^}]*\})\s+/g, '$1\\ ').replace(/(?<!\\)\s+(\\(?:text|operatorname)\{)/g, '\\ $1');
  for (const [pattern, replacement] of SYMBOLS) tex = tex.replace(pattern, replacement);
  tex = tex
    .replace(/√\(([^()]*)\)/g, '\\sqrt{$1}')
    .replace(/√([A-Za-z0-9]+(?:_[A-Za-z0-9]+)?)/g, '\\sqrt{$1}')
    .replace(/√/g, '\\surd ');
  return tex;
}

/** Renders Unicode math as MathML (falls back to the text itself if KaTeX cannot parse it). */
const rendered = new Map<string, string>();

export function mathHtml(text: string, display = false): string {
  // The formulas come from fixed records: each is typeset once per page load.
  const key = `${display ? 'D' : 'I'}${text}`;
  let html = rendered.get(key);
  if (html === undefined) {
    html = katex.renderToString(toTex(text), { output: 'mathml', throwOnError: false, strict: 'ignore', displayMode: display });
    rendered.set(key, html);
  }
  return html;
}

/** A word that is prose, not math: three or more letters that are not a function name. */
/** Short English words that are never a formula's symbols here (a two-letter symbol is written d_x, ij…: not these). */
const SHORT_WORDS = new Set(['if', 'is', 'of', 'to', 'by', 'or', 'at', 'on', 'in', 'an', 'be', 'as', 'so', 'no', 'it', 'we']);

function bare(token: string): string {
  return token.replace(/^[("']+|[),.:;"']+$/g, '');
}

function isProse(token: string): boolean {
  const word = bare(token);
  return (/^[A-Za-z][a-z]{2,}(-[a-z]+)*$/.test(word) && !FUNCTIONS.has(word)) || SHORT_WORDS.has(word) || /^[\uac00-\ud7a3]/.test(word);
}

/**
 * A derivation step that mixes prose and formulas ("so ∂C_ij/∂A_ip = B_pj"): prose words stay
 * text, every run of math tokens is typeset.
 */
export function mixedHtml(step: string): string {
  let html = mixedCache.get(step);
  if (html === undefined) {
    html = mixedUncached(step);
    mixedCache.set(step, html);
  }
  return html;
}

const mixedCache = new Map<string, string>();

function mixedUncached(step: string): string {
  const tokens = step.split(/(\s+)/);
  let html = '';
  let math: string[] = [];
  const flush = (): void => {
    const joined = math.join('').trim();
    if (joined !== '') html += `${mathHtml(joined)} `;
    math = [];
  };
  const words = tokens.filter((token) => token.trim() !== '');
  for (const token of tokens) {
    if (token.trim() === '') {
      if (math.length > 0) math.push(token);
      else html += token;
      continue;
    }
    // The article "a" is prose between two prose words ("is a constant"), a symbol elsewhere ("a + b").
    const at = words.indexOf(token);
    const article = bare(token) === 'a' && at > 0 && isProse(words[at - 1]) && at + 1 < words.length && isProse(words[at + 1]);
    if (isProse(token) || article) {
      flush();
      html += `${escapeHtml(token)}`;
    } else math.push(token);
  }
  flush();
  return html;
}
