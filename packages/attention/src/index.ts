/**
 * @attograd/attention — self-attention stage by stage. Each stage is a function that can be run,
 * printed, differentiated and gradient-checked on its own; the composites chain them. Autograd
 * does the differentiation (this package has no gradient rules of its own); the hand-derived
 * `*Backward` functions exist so that learners can compare them with autograd and with finite
 * differences (`compareThreeWays`).
 */
export { project, projectBackward } from './projection';
export type { ProjectionWeights, Projections } from './projection';
export { scores, scoresBackward } from './scores';
export { scaleScores, scaleScoresBackward } from './scaling';
export { attentionWeights, attentionWeightsBackward } from './attention-weights';
export { weightedSum, weightedSumBackward } from './weighted-sum';
export { residualLayerNorm, residualLayerNormBackward } from './residual-layer-norm';
export type { LayerNormWeights } from './residual-layer-norm';
export { causalMask } from './mask';
export type { MaskOptions } from './mask';

export { selfAttention, selfAttentionBackward, traceSelfAttention } from './self-attention';
export type { SelfAttentionOptions, SelfAttentionTrace, TraceOptions, TraceWeights } from './self-attention';
export {
  multiHeadAttention,
  multiHeadAttentionBackward,
  headMask,
  mergeHeads,
  outputProjection,
  outputProjectionBackward,
  splitHeads,
  traceMultiHeadAttention,
} from './multi-head-attention';
export type { MultiHeadOptions, MultiHeadTrace, MultiHeadWeights } from './multi-head-attention';
export { attentionBlock, attentionBlockBackward } from './attention-block';
export type { AttentionBlockOptions, AttentionBlockWeights } from './attention-block';

export { registerStage, stageByKey, stages, stackProjections, unregisterStage, unstackProjections } from './stages';
export { composites } from './composites';
export { conventions, glossary, notation } from './notation';
export type { Convention, GlossaryEntry, NotationEntry } from './notation';
export type { Bilingual, Composite, Explanation, InputSizes, RecordedRun, RegistryEntry, Stage, StageInputs } from './registry-types';
export { compareThreeWays, numericalGradient, difference } from './three-way-comparison';
export type { CompareOptions, Difference, GradientComparison, RunFunction, ThreeWayComparison } from './three-way-comparison';
