import { checkNotPromise, checkSyncFunction } from './sync-only';

/**
 * Labels group recorded ops under a name (for example the attention stage they belong to), so
 * graphs, error messages and anomaly reports can say where an op came from.
 */
let label: string | undefined;

/**
 * The label ops are being recorded under (set by `withLabel`), or undefined outside any.
 *
 * @example
 * withLabel('scores', () => currentLabel()) // 'scores'
 */
export function currentLabel(): string | undefined {
  return label;
}

/**
 * Runs `fn`, labelling every op it records with `name` (nested labels join with `/`).
 *
 * @example
 * const s = withLabel('scores', () => matmul(q, transpose(k))); // s.gradFn.label === 'scores'
 */
export function withLabel<T>(name: string, fn: () => T): T {
  checkSyncFunction('withLabel', fn);
  const previous = label;
  label = previous === undefined ? name : `${previous}/${name}`;
  let result: T;
  try {
    result = fn();
  } finally {
    label = previous;
  }
  checkNotPromise('withLabel', result);
  return result;
}
