export { Tensor, formatTensor } from './tensor';
export { isTensor } from './brand';
export type { GradFn, TensorOptions, BackwardOptions, NestedArray } from './tensor';
export { tensor, zeros, ones, full, randn, rand } from './create';
export type { CreateOptions, TensorFromValuesOptions, RandomOptions } from './create';
export { rng, isRng } from './random';
export type { Rng } from './random';
export { gradients, topologicalOrder } from './autograd';
export type { GradientsOptions } from './autograd';
export { noGrad, isGradEnabled, withGradMode } from './grad-mode';
export { withLabel, currentLabel } from './label';
export { defineOp } from './op';
export type { Op, OpDefinition, OpContext, InputTensors, AttrsArgument, DefineOpOptions, EmptyAttrs } from './op';
export { addGradients, sumToShape, broadcastTo } from './primitives';
export { allocate, allocateForOverwrite, dtypeOf, isFloatDType, DEFAULT_DTYPE } from './dtype';
export { allocationStats, resetAllocationStats, setBufferPoolLimit } from './buffer-pool';
export type { AllocationStats } from './buffer-pool';
export type { DType, TensorData } from './dtype';
export {
  sizeOf,
  stridesOf,
  unravelIndex,
  shapesEqual,
  broadcastShapes,
  broadcastIndex,
  broadcastsTo,
  normalizeAxis,
  checkShape,
} from './shape';
export { checkAnyTensor, checkTensor, checkMinRank, checkInteger } from './checks';
export { broadcastPlan, type BroadcastPlan } from './broadcast-plan';
export { formatShape, rangeError, typeError, describe } from './errors';
export { jvp, hvp } from './higher-order';
export type { TensorFunction } from './higher-order';
export { detectAnomaly, isAnomalyDetectionEnabled, AnomalyError } from './anomaly';
