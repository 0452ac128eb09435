/**
 * How a registry name is shown: `data-tensor` uses a plain ASCII form (`Wq`, `SHat`, `dWq`), the
 * caption the math symbol (W_q, Ŝ). Derived from the name itself, so a new registry input needs
 * no entry here.
 */
const GREEK: Readonly<Record<string, string>> = { gamma: 'γ', beta: 'β' };

/** `wq` → `Wq`, `sHat` → `SHat`, `x` → `X`, `zHeads` → `ZHeads` (Z is the output projection's output); Greek names stay as they are. */
export function dataName(name: string): string {
  if (name in GREEK) return name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `wq` → `W_q`, `sHat` → `Ŝ`, `gamma` → `γ`. */
export function mathName(name: string): string {
  if (name in GREEK) return GREEK[name];
  if (name.endsWith('Hat')) return `${name.charAt(0).toUpperCase()}\u0302`;
  const base = name.endsWith('Heads') ? name.slice(0, -5) : name;
  if (/^w[a-z]$/.test(base)) return `W_${base.charAt(1)}`;
  return base.length === 1 ? base.toUpperCase() : base;
}
