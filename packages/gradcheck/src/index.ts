/**
 * @attograd/gradcheck — finite-difference verification of the gradients of any function of
 * attograd tensors. Runs anywhere JavaScript runs (no Node-only API).
 */
export { gradcheck, gradcheckAsync } from './gradcheck';
export type { GradcheckAsyncOptions } from './gradcheck';
export { columnRanges } from './columns';
export type { ColumnRange, ColumnsRequest, ComputeColumns, ComputedColumns } from './columns';
export { partiallyReevaluated } from './partial-reevaluation';
export { numericalJacobian, numericalJacobianColumns, numericalVjp } from './numerical';
export type { NumericalOptions, JacobianColumns } from './numerical';
export { analyticalJacobian } from './analytical';
export { compareJacobians } from './jacobian-comparison';
export type { Tolerance } from './jacobian-comparison';
export { stepSizeSweep } from './sweep';
export { absoluteError, changeBetween, difference, largestDifference } from './difference';
export type { Difference } from './difference';
export type { SweepOptions, SweepRow } from './sweep';
export { formatReport } from './format';
export {
  CENTRAL_EPS,
  FIVE_POINT_EPS,
  FLOAT32_CENTRAL_EPS,
  FLOAT32_FIVE_POINT_EPS,
  DEFAULT_ATOL,
  DEFAULT_RTOL,
  DEFAULTS,
  defaultEps,
  resolveOptions,
} from './options';
export type { OptionName, Settings } from './options';
export { checkedIndices } from './inputs';
export type {
  GradcheckFn,
  GradcheckMode,
  GradcheckOptions,
  GradcheckReport,
  InputJacobians,
  InputReport,
  Stencil,
  WorstElement,
} from './types';
export { gradgradcheck, checkHvp, gradientFunction, secondOrderCotangent } from './gradgradcheck';
export type { GradgradcheckReport } from './gradgradcheck';
