/**
 * Ranges of numerical Jacobian columns, and the hook through which a caller computes them
 * elsewhere (worker threads): `gradcheckAsync` hands the hook every checked input's size and a
 * function that computes any range in this thread; the hook returns the values of every column,
 * and gradcheck compares, judges and warns exactly as `gradcheck` does.
 */

/**
 * Columns `start` to `end − 1` of the numerical Jacobian block of input `inputIndex` (flat
 * indices into that input).
 *
 * @example
 * const range: ColumnRange = { inputIndex: 1, start: 0, end: 64 };
 */
export interface ColumnRange {
  /** Position of the input in the `inputs` given to gradcheck. */
  inputIndex: number;
  /** First column (flat element index of that input) of the range, inclusive. */
  start: number;
  /** One past the last column of the range. */
  end: number;
}

/**
 * Computed columns of one range, column-major: `values[(k − start)·outputSize + i]` is ∂out_i/∂in_k.
 *
 * @example
 * const done: ComputedColumns = { range, values: request.computeHere(range) };
 */
export interface ComputedColumns {
  /** The range these columns belong to. */
  range: ColumnRange;
  /** The finite-difference columns of the range, column-major (see above). */
  values: Float64Array;
}

/**
 * What gradcheck asks of a `ComputeColumns` hook.
 *
 * @example
 * const hook: ComputeColumns = async ({ inputs, computeHere }) =>
 *   columnRanges(inputs, 1).map((range) => ({ range, values: computeHere(range) }));
 */
export interface ColumnsRequest {
  /** Every checked input: its position in `inputs` and its number of elements (= columns). */
  inputs: { inputIndex: number; size: number }[];
  /** Number of elements of fn's output: the length of one column. */
  outputSize: number;
  /** The step and stencil gradcheck uses (for computing columns elsewhere with the same rule). */
  eps: number;
  /** The finite-difference stencil gradcheck uses. */
  stencil: 'central' | 'five-point';
  /**
   * Computes a range in this thread, with gradcheck's working inputs and partial re-evaluation.
   * Call it between other work, never concurrently with itself.
   */
  computeHere(range: ColumnRange): Float64Array;
}

/**
 * Computes the numerical Jacobian columns of every checked input, e.g. spread over threads. Must
 * return each column of each checked input exactly once.
 */
export type ComputeColumns = (request: ColumnsRequest) => Promise<ComputedColumns[]>;

/**
 * Splits the columns of inputs into ranges, each within one input: about eight per thread in all,
 * so that no thread waits long for another at the end.
 *
 * @example
 * columnRanges([{ inputIndex: 0, size: 512 }, { inputIndex: 1, size: 1024 }], 2) // ranges of at most 96 columns
 */
export function columnRanges(inputs: readonly { inputIndex: number; size: number }[], threads: number): ColumnRange[] {
  const total = inputs.reduce((sum, { size }) => sum + size, 0);
  const chunk = Math.max(1, Math.ceil(total / (Math.max(1, threads) * 8)));
  const ranges: ColumnRange[] = [];
  for (const { inputIndex, size } of inputs) {
    for (let start = 0; start < size; start += chunk) ranges.push({ inputIndex, start, end: Math.min(size, start + chunk) });
  }
  return ranges;
}
