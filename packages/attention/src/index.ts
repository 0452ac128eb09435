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
export { multiHeadAttention, multiHeadAttentionBackward, splitHeads, mergeHeads } from './multi-head-attention';
export type { MultiHeadOptions, MultiHeadWeights } from './multi-head-attention';
export { attentionBlock, attentionBlockBackward } from './attention-block';
export type { AttentionBlockOptions, AttentionBlockWeights } from './attention-block';

export { traceBlock, blockGradients } from './block-trace';
export type { BlockTrace, BlockTraceOptions, BlockValues, BlockWeights } from './block-trace';
export { stages, stackProjections, unstackProjections } from './stages';
export { composites } from './composites';
export type { Bilingual, Composite, Explanation, InputSizes, RegistryEntry, Stage, StageInputs } from './registry-types';
export { compareThreeWays, numericalGradient, difference } from './compare';
export type { CompareOptions, Difference, GradientComparison, RunFunction, ThreeWayComparison } from './compare';
