import type { Tensor } from './tensor';

/**
 * The mark every tensor carries. It is registered with `Symbol.for`, so it is the same symbol in
 * every copy of attograd loaded in a process (the ESM and the CommonJS builds, two versions in
 * node_modules): a tensor made by one copy is recognised by every other (`instanceof Tensor`
 * checks this mark, not the class object).
 */
export const TENSOR_BRAND: unique symbol = Symbol.for('attograd.tensor') as never;

/**
 * Whether `value` is an attograd tensor, from this copy of the library or from any other.
 *
 * @example
 * isTensor(tensor([1, 2])) // true
 * isTensor({ shape: [2], data: new Float64Array(2) }) // false: no brand
 */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && (value as { [TENSOR_BRAND]?: unknown })[TENSOR_BRAND] === true;
}
