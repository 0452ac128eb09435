/**
 * @attograd/gradcheck — finite-difference verification of the gradients of any function of
 * attograd tensors. Runs anywhere JavaScript runs (no Node-only API).
 */
export { gradcheck } from './gradcheck';
export { numericalJacobian, numericalJacobianColumns } from './numerical';
export type { NumericalOptions, JacobianColumns } from './numerical';
export { analyticalJacobian } from './analytical';
export { compareJacobians } from './compare';
export type { Tolerance } from './compare';
export { stepSizeSweep } from './sweep';
export type { SweepOptions, SweepRow } from './sweep';
export { formatReport } from './format';
export { CENTRAL_EPS, FIVE_POINT_EPS, DEFAULT_ATOL, DEFAULT_RTOL } from './options';
export type { GradcheckFn, GradcheckMode, GradcheckOptions, GradcheckReport, InputReport, Stencil, WorstElement } from './types';
export { gradgradcheck, checkHvp } from './gradgradcheck';
export type { GradgradcheckReport } from './gradgradcheck';
