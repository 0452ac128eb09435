/**
 * @attograd/nn — modules for training small transformers with attograd: a `Module` container
 * (parameters, state dicts, train/eval), the layers of a GPT, initialisers, sampling, and weights
 * in the safetensors format. Layers compose ops of @attograd/ops and stages of
 * @attograd/attention; like them, they carry no gradient code of their own.
 */
export { Module, ModuleList } from './module';
export { Linear, linear } from './linear';
export type { LinearOptions } from './linear';
export { Embedding } from './embedding';
export type { EmbeddingOptions } from './embedding';
export { LayerNorm } from './layer-norm';
export type { LayerNormOptions } from './layer-norm';
export { Dropout } from './dropout';
export { MultiHeadAttention } from './multi-head-attention';
export type { MultiHeadAttentionOptions } from './multi-head-attention';
export { FeedForward } from './feed-forward';
export type { Activation, FeedForwardOptions } from './feed-forward';
export { TransformerBlock } from './transformer-block';
export type { TransformerBlockOptions } from './transformer-block';
export { GPT } from './gpt';
export type { GPTConfig, GPTOutput } from './gpt';
export * as init from './init';
export type { InitOptions, KaimingOptions, Nonlinearity, FanMode } from './init';
export { multinomial, sampleLogits, topKFilter } from './sampling';
export type { MultinomialOptions, SampleOptions } from './sampling';
export { encodeSafetensors, decodeSafetensors } from './safetensors';
export type { Safetensors } from './safetensors';
export { stateDictToJson, stateDictFromJson } from './state-json';
export { layerCases } from './layer-cases';
export type { BuiltLayerCase, LayerCase } from './layer-cases';
