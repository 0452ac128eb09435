/**
 * attograd — one import for the whole library: tensors and autograd, the ops, self-attention
 * stage by stage, finite-difference gradient checking, optimizers, and modules (layers, a GPT,
 * safetensors weights).
 *
 * @example
 * import { tensor, matmul, selfAttention, gradcheck } from 'attograd';
 */
export * from '@attograd/tensor';
export * from '@attograd/ops';
export * from '@attograd/gradcheck';
export * from '@attograd/attention';
export * from '@attograd/optim';
export * from '@attograd/nn';
