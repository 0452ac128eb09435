import { typesetMath, typesetMixed } from '@attograd/explorer';

/**
 * Formulas typeset as in the explorer: the registry's Unicode math rendered to MathML by KaTeX
 * (no fonts, no style sheet, nothing fetched), one display formula per line.
 *
 * @example
 * mathBlock(['dA = dC·Bᵀ', 'dB = Aᵀ·dC'])
 */
export function mathBlock(lines: string | readonly string[]): string {
  const list = typeof lines === 'string' ? [lines] : lines;
  return `<div class="formula math">${list.map((line) => `<div>${typesetMath(line, true)}</div>`).join('')}</div>`;
}

/** A derivation step mixing prose and math ("so ∂C_ij/∂A_ip = B_pj"): the prose stays text, the math is typeset. */
export function mathStep(step: string): string {
  return typesetMixed(step);
}
