/**
 * The op file that implements an op of @attograd/ops, relative to the repository root. (How a
 * stage's tensors are printed is the registry's: `Stage.display`.)
 *
 * @example
 * opFile('layerNorm') // 'packages/ops/src/layer-norm.ts'
 */
export function opFile(op: string): string {
  return `packages/ops/src/${op.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
}
