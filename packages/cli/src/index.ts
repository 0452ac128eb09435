/**
 * attograd — one import for the whole library: tensors and autograd, the ops, self-attention
 * stage by stage, and finite-difference gradient checking.
 *
 * @example
 * import { tensor, matmul, selfAttention, gradcheck } from 'attograd';
 */
export * from '@attograd/tensor';
export * from '@attograd/ops';
export * from '@attograd/gradcheck';
export * from '@attograd/attention';
