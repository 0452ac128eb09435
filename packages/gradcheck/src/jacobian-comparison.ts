import { sizeOf, unravelIndex } from '@attograd/tensor';
import { absoluteError } from './difference';
import type { InputReport } from './types';

/**
 * Comparison of analytic and numeric derivatives, and the vacuity rule.
 *
 * Pass rule, per element: |a − n| ≤ atol + rtol·|n| (PyTorch's). A non-finite a or n fails.
 *
 * Vacuity threshold: atol. If every |a| and every |n| of an input is ≤ atol, the pass rule cannot
 * fail for any analytic of that size, right or wrong: the check of that input proved nothing
 * (typically the output does not depend on it). If every |a| ≤ atol but some |n| > atol, the
 * backward returns (near) zero for an input that matters: vacuous *and* failed. The same atol
 * that separates "equal" from "different" in the pass rule separates "zero" from "not zero" here,
 * so the two judgements never contradict each other; an input whose true derivatives are all
 * below atol is flagged, and rescaling it (or lowering atol) makes its check meaningful.
 */

/**
 * The tolerances of the pass rule |a − n| ≤ atol + rtol·|n|.
 *
 * @example
 * const tolerance: Tolerance = { atol: DEFAULT_ATOL, rtol: DEFAULT_RTOL };
 */
export interface Tolerance {
  /** Absolute tolerance: the allowance that does not scale with |n|. */
  atol: number;
  /** Relative tolerance: the allowance per unit of |n|. */
  rtol: number;
}

/** Running statistics of one comparison. */
class Tally {
  maxAbs = 0;
  maxRel = 0;
  sumSquaredDiff = 0;
  sumSquaredA = 0;
  sumSquaredN = 0;
  maxMagnitudeA = 0;
  maxMagnitudeN = 0;
  failures = 0;
  nonFinite = 0;
  worstScore = -1;
  worstDiff = -1;
  worstRow = -1;
  worstColumn = -1;

  constructor(private readonly tolerance: Tolerance) {}

  add(a: number, n: number, row: number, column: number): void {
    const { atol, rtol } = this.tolerance;
    const finite = Number.isFinite(a) && Number.isFinite(n);
    const diff = absoluteError(a, n);
    const allowed = atol + rtol * Math.abs(n);
    const score = !finite ? Infinity : diff === 0 ? 0 : diff / allowed; // Infinity when allowed is 0
    if (!finite) this.nonFinite++;
    if (!finite || diff > allowed) this.failures++;
    this.maxAbs = Math.max(this.maxAbs, diff);
    const magnitude = Math.max(Math.abs(a), Math.abs(n));
    if (!finite) this.maxRel = Infinity;
    else if (magnitude > atol) this.maxRel = Math.max(this.maxRel, diff / magnitude);
    if (finite) {
      this.sumSquaredDiff += diff * diff;
      this.sumSquaredA += a * a;
      this.sumSquaredN += n * n;
      this.maxMagnitudeA = Math.max(this.maxMagnitudeA, Math.abs(a));
      this.maxMagnitudeN = Math.max(this.maxMagnitudeN, Math.abs(n));
    }
    if (score > this.worstScore || (score === this.worstScore && diff > this.worstDiff)) {
      this.worstScore = score;
      this.worstDiff = diff;
      this.worstRow = row;
      this.worstColumn = column;
    }
  }

  normRelError(): number {
    const scale = Math.sqrt(Math.max(this.sumSquaredA, this.sumSquaredN));
    if (this.nonFinite > 0) return Infinity;
    return scale === 0 ? 0 : Math.sqrt(this.sumSquaredDiff) / scale;
  }
}

/**
 * Compares the Jacobian block of one input: `analytic` row-major `[outputSize, inputSize]`,
 * `numeric` column-major (as `numericalJacobianColumns` produces it), with gradcheck's pass rule
 * and vacuity rule. Exported so that callers who compute the numerical columns elsewhere (worker
 * threads) reach exactly the verdict `gradcheck` would.
 *
 * @example
 * const [analytic] = analyticalJacobian(fn, [x]);
 * const { values } = numericalJacobianColumns(fn, [x], 0, 0, x.size);
 * const report = compareJacobians(0, x.shape, outputShape, analytic.data as Float64Array, values, { atol: DEFAULT_ATOL, rtol: DEFAULT_RTOL });
 */
export function compareJacobians(
  index: number,
  inputShape: readonly number[],
  outputShape: readonly number[],
  analytic: Float64Array,
  numeric: Float64Array,
  tolerance: Tolerance,
): InputReport {
  const inputSize = sizeOf(inputShape);
  const outputSize = sizeOf(outputShape);
  const tally = new Tally(tolerance);
  for (let column = 0; column < inputSize; column++) {
    for (let row = 0; row < outputSize; row++) {
      tally.add(analytic[row * inputSize + column], numeric[column * outputSize + row], row, column);
    }
  }
  const worst =
    tally.worstRow < 0
      ? null
      : {
          inputIndex: unravelIndex(tally.worstColumn, inputShape),
          outputIndex: unravelIndex(tally.worstRow, outputShape),
          analytic: analytic[tally.worstRow * inputSize + tally.worstColumn],
          numeric: numeric[tally.worstColumn * outputSize + tally.worstRow],
        };
  const report = reportOf(index, inputShape, tally, worst);
  const reason =
    inputSize * outputSize === 0
      ? `there is nothing to compare: the ${inputSize === 0 ? 'input' : 'output'} has no elements`
      : vacuousReason(tally.maxMagnitudeA, tally.maxMagnitudeN, tally.nonFinite, tolerance.atol);
  return reason === undefined ? report : { ...report, vacuous: true, vacuousReason: reason };
}

/** The report fields every comparison fills the same way from its tally. */
function reportOf(index: number, inputShape: readonly number[], tally: Tally, worst: InputReport['worst']): InputReport {
  return {
    index,
    shape: inputShape.slice(),
    ok: tally.failures === 0,
    maxAbsError: tally.maxAbs,
    maxRelError: tally.maxRel,
    normRelError: tally.normRelError(),
    worst,
    vacuous: false,
  };
}

/**
 * Compares one pair of scalars (fast mode's projections vᵀJu), with the same rule and the same
 * vacuity threshold as the full comparison.
 */
export function compareScalars(index: number, inputShape: readonly number[], a: number, n: number, tolerance: Tolerance): InputReport {
  const tally = new Tally(tolerance);
  tally.add(a, n, 0, 0);
  const report: InputReport = { ...reportOf(index, inputShape, tally, null), directional: { analytic: a, numeric: n } };
  const reason = vacuousReason(Math.abs(a), Math.abs(n), tally.nonFinite, tolerance.atol);
  return reason === undefined ? report : { ...report, vacuous: true, vacuousReason: reason };
}

function vacuousReason(maxA: number, maxN: number, nonFinite: number, atol: number): string | undefined {
  if (nonFinite > 0 || maxA > atol) return undefined;
  if (maxN <= atol) {
    return (
      `every analytic and numeric derivative is within atol (${atol}) of zero: the output does not ` +
      `(measurably) depend on this input, so any gradient would pass`
    );
  }
  return (
    `the analytic gradient is ${maxA === 0 ? 'exactly zero' : `~0 (max ${maxA.toExponential(2)})`} but the numeric one ` +
    `is not (max ${maxN.toExponential(2)}): the backward gives no gradient to an input the output depends on`
  );
}
