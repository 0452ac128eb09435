/**
 * @attograd/ops — every differentiable op of attograd, one file each: derivation, argument
 * checks, forward kernel and gradient rule.
 */
import type { Derivation } from './derivation';
import { derivation as add } from './add';
import { derivation as concat } from './concat';
import { derivation as div } from './div';
import { derivation as exp } from './exp';
import { derivation as layerNorm } from './layer-norm';
import { derivation as log } from './log';
import { derivation as maskedFill } from './masked-fill';
import { derivation as matmul } from './matmul';
import { derivation as max } from './max';
import { derivation as mean } from './mean';
import { derivation as mul } from './mul';
import { derivation as neg } from './neg';
import { derivation as permute } from './permute';
import { derivation as reshape } from './reshape';
import { derivation as scale } from './scale';
import { derivation as slice } from './slice';
import { derivation as softmax } from './softmax';
import { derivation as sqrt } from './sqrt';
import { derivation as stack } from './stack';
import { derivation as sub } from './sub';
import { derivation as sum } from './sum';
import { derivation as transpose } from './transpose';
import { derivation as where } from './where';
import { derivation as relu } from './relu';
import { derivation as erf } from './erf';
import { derivation as gelu } from './gelu';
import { derivation as tanh } from './tanh';
import { derivation as sigmoid } from './sigmoid';
import { derivation as softplus } from './softplus';
import { derivation as pow } from './pow';
import { derivation as square } from './square';
import { derivation as abs } from './abs';
import { derivation as clamp } from './clamp';
import { derivation as minimum } from './minimum';
import { derivation as maximum } from './maximum';
import { derivation as logsumexp } from './logsumexp';
import { derivation as logSoftmax } from './log-softmax';
import { derivation as crossEntropy } from './cross-entropy';
import { derivation as nllLoss } from './nll-loss';
import { derivation as mseLoss } from './mse-loss';
import { derivation as gather } from './gather';
import { derivation as indexSelect } from './index-select';
import { derivation as embedding } from './embedding';
import { derivation as tril } from './tril';
import { derivation as squeeze, unsqueezeDerivation as unsqueeze } from './squeeze';
import { derivation as expand } from './expand';
import { derivation as variance, stdDerivation as std } from './variance';
import { derivation as dropout } from './dropout';

export { add } from './add';
export { sub } from './sub';
export { mul } from './mul';
export { div } from './div';
export { neg } from './neg';
export { exp } from './exp';
export { log } from './log';
export { sqrt } from './sqrt';
export { scale } from './scale';
export { matmul, matmulTransposed } from './matmul';
export { transpose } from './transpose';
export { permute } from './permute';
export { reshape } from './reshape';
export { concat } from './concat';
export { slice } from './slice';
export { stack } from './stack';
export { sum } from './sum';
export { mean } from './mean';
export { max } from './max';
export { softmax } from './softmax';
export { where } from './where';
export { maskedFill } from './masked-fill';
export { layerNorm, LAYER_NORM_EPS } from './layer-norm';
export type { Derivation, DerivationText } from './derivation';
export { relu } from './relu';
export { erf } from './erf';
export { gelu } from './gelu';
export { tanh } from './tanh';
export { sigmoid } from './sigmoid';
export { softplus } from './softplus';
export { pow } from './pow';
export { square } from './square';
export { abs } from './abs';
export { clamp } from './clamp';
export { minimum } from './minimum';
export { maximum } from './maximum';
export { logsumexp } from './logsumexp';
export { logSoftmax } from './log-softmax';
export { crossEntropy } from './cross-entropy';
export { nllLoss } from './nll-loss';
export { mseLoss } from './mse-loss';
export { gather } from './gather';
export { indexSelect } from './index-select';
export { embedding } from './embedding';
export { tril, triu } from './tril';
export { oneHot } from './one-hot';
export { argmax, argmin } from './argmax';
export { eq, ne, gt, ge, lt, le } from './comparison-masks';
export { arange } from './arange';
export { squeeze, unsqueeze } from './squeeze';
export { expand } from './expand';
export { variance, variance as var, std } from './variance';
export type { VarianceOptions } from './variance';
export { dropout } from './dropout';
export type { DropoutOptions } from './dropout';
export type { CrossEntropyOptions } from './cross-entropy';
export type { Reduction } from './loss-options';
export { opCases, constantOps, CASE_SIZES } from './cases';
export type { OpCase, CaseSizes } from './cases';

/** Every op's derivation, keyed by the op's exported name. */
export const derivations: Readonly<Record<string, Derivation>> = {
  add,
  sub,
  mul,
  div,
  neg,
  exp,
  log,
  sqrt,
  scale,
  matmul,
  transpose,
  permute,
  reshape,
  concat,
  slice,
  stack,
  sum,
  mean,
  max,
  softmax,
  where,
  maskedFill,
  layerNorm,
  relu,
  erf,
  gelu,
  tanh,
  sigmoid,
  softplus,
  pow,
  square,
  abs,
  clamp,
  minimum,
  maximum,
  logsumexp,
  logSoftmax,
  crossEntropy,
  nllLoss,
  mseLoss,
  gather,
  indexSelect,
  embedding,
  tril,
  squeeze,
  unsqueeze,
  expand,
  variance,
  std,
  dropout,
};
