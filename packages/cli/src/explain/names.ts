/**
 * How explain names tensors: the registry's input names (`sHat`, `wq`, …) as a learner reads them
 * in the formulas (Ŝ, W_q, …), and the output of each stage.
 */
const DISPLAY: Readonly<Record<string, string>> = {
  x: 'X', wq: 'W_q', wk: 'W_k', wv: 'W_v', q: 'Q', k: 'K', v: 'V', s: 'S', sHat: 'Ŝ', p: 'P', z: 'Z', y: 'Y',
  gamma: 'γ', beta: 'β', mask: 'M', dK: 'd_k',
};

/** The output of each stage, by stage key (projection has three, stacked by its `run`). */
export const STAGE_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  projection: ['q', 'k', 'v'],
  scores: ['s'],
  scaling: ['sHat'],
  softmax: ['p'],
  weightedSum: ['z'],
  residualLayerNorm: ['y'],
};

/**
 * The name of a tensor as the formulas write it.
 *
 * @example
 * displayName('sHat') // 'Ŝ'
 */
export function displayName(name: string): string {
  return DISPLAY[name] ?? name;
}

/**
 * The name of the gradient of a tensor: d + its display name.
 *
 * @example
 * gradientName('wq') // 'dW_q'
 */
export function gradientName(name: string): string {
  return `d${displayName(name)}`;
}

/**
 * The op file that implements an op of @attograd/ops, relative to the repository root.
 *
 * @example
 * opFile('layerNorm') // 'packages/ops/src/layer-norm.ts'
 */
export function opFile(op: string): string {
  return `packages/ops/src/${op.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
}
