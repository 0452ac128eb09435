import { describe, expect, it } from 'vitest';
import { ones, randn, rng, type Tensor, zeros } from '@attograd/tensor';
import {
  attentionBlock,
  attentionWeights,
  causalMask,
  composites,
  multiHeadAttention,
  project,
  residualLayerNorm,
  scaleScores,
  scores,
  selfAttention,
  stageByKey,
  traceSelfAttention,
  weightedSum,
} from '../src/index';

const random = rng(1);
const r = (...shape: number[]): Tensor => randn(shape, { rng: random });
const x = r(4, 4);
const w = { wq: r(4, 4), wk: r(4, 4), wv: r(4, 4) };

describe('errors name the function, the argument and the shapes', () => {
  it('heads that do not divide d', () => {
    expect(() => multiHeadAttention(x, { ...w, wo: r(4, 4) }, { heads: 3 })).toThrow(RangeError);
    expect(() => multiHeadAttention(x, { ...w, wo: r(4, 4) }, { heads: 3 })).toThrow(
      'multiHeadAttention: heads (3) must be a positive divisor of d = 4 (x has shape [4, 4]); each head takes d/heads columns',
    );
    expect(() => multiHeadAttention(x, { ...w, wo: r(4, 4) }, { heads: 0 })).toThrow(/heads \(0\) must be a positive divisor/);
    expect(() => multiHeadAttention(x, { ...w, wo: r(4, 4) }, {} as never)).toThrow(
      new TypeError('multiHeadAttention: options.heads must be an integer, got undefined'),
    );
    expect(() => multiHeadAttention(x, { ...w, wo: r(4, 4) }, undefined as never)).toThrow(TypeError);
  });

  it('a mask of the wrong shape', () => {
    const mask = ones([3, 3]);
    const message = "mask of shape [3, 3] does not broadcast to the attention scores' shape [4, 4] ([..., T_query, T_key])";
    expect(() => selfAttention(x, w, { mask })).toThrow(new RangeError(`selfAttention: ${message}`));
    expect(() => attentionWeights(r(4, 4), { mask })).toThrow(new RangeError(`attentionWeights: ${message}`));
    expect(() => attentionBlock(x, { ...w, gamma: ones([4]), beta: zeros([4]) }, { mask })).toThrow(
      new RangeError(`attentionBlock: ${message}`),
    );
    expect(() => traceSelfAttention(x, w, { mask })).toThrow(new RangeError(`traceSelfAttention: ${message}`));
    expect(() => multiHeadAttention(x, { ...w, wo: r(4, 4) }, { heads: 2, mask })).toThrow(
      new RangeError(`multiHeadAttention: ${message}`),
    );
    // A mask may broadcast to the scores but not grow them: [2, 4, 4] for unbatched x is an error.
    expect(() => selfAttention(x, w, { mask: ones([2, 4, 4]) })).toThrow(
      /selfAttention: mask of shape \[2, 4, 4\] does not broadcast to the attention scores' shape \[4, 4\]/,
    );
    expect(() => selfAttention(x, w, { mask: [[1]] as never })).toThrow(
      new TypeError('selfAttention: mask must be a Tensor, got an array of length 1 (wrap arrays with tensor(...))'),
    );
    expect(() => selfAttention(x, w, { causal: 'yes' as never })).toThrow(
      new TypeError('selfAttention: causal must be a boolean, got the string "yes"'),
    );
  });

  it('a per-head mask for multiHeadAttention is checked against [..., H, T, T]', () => {
    const xb = r(2, 3, 4);
    expect(() =>
      multiHeadAttention(xb, { wq: r(4, 4), wk: r(4, 4), wv: r(4, 4), wo: r(4, 4) }, { heads: 2, mask: ones([2, 3, 3, 3]) }),
    ).toThrow("multiHeadAttention: mask of shape [2, 3, 3, 3] does not broadcast to the attention scores' shape [2, 2, 3, 3]");
  });

  it('weights whose shapes do not fit x', () => {
    expect(() => selfAttention(x, { ...w, wq: r(5, 4) })).toThrow(
      new RangeError('selfAttention: wq must have shape [4, n] so that x @ wq works for x of shape [4, 4], got [5, 4]'),
    );
    expect(() => selfAttention(x, { ...w, wk: r(4) })).toThrow(
      'selfAttention: wk must have shape [4, n] so that x @ wk works for x of shape [4, 4], got [4]',
    );
    expect(() => selfAttention(x, { ...w, wk: r(4, 3) })).toThrow(
      'selfAttention: wq [4, 4] and wk [4, 3] must have the same number of columns d_k (queries and keys are compared by a dot product)',
    );
    expect(() => project(x, { ...w, wv: r(3, 4) })).toThrow(
      'project: wv must have shape [4, n] so that x @ wv works for x of shape [4, 4], got [3, 4]',
    );
    expect(() => multiHeadAttention(x, { ...w, wq: r(4, 2), wo: r(4, 4) }, { heads: 2 })).toThrow(
      'multiHeadAttention: wq must have shape [4, 4] (d = 4, all heads side by side), got [4, 2]',
    );
    expect(() => multiHeadAttention(x, { ...w, wo: r(2, 4) }, { heads: 2 })).toThrow(
      'multiHeadAttention: wo must have shape [4, n] so that x @ wo works for x of shape [4, 4], got [2, 4]',
    );
    expect(() => attentionBlock(x, { ...w, wv: r(4, 3), gamma: ones([4]), beta: zeros([4]) })).toThrow(
      "attentionBlock: wv must have shape [4, 4] so that Z = P·V has x's shape [4, 4] for the residual X + Z, got [4, 3]",
    );
    expect(() => attentionBlock(x, { ...w, gamma: ones([3]), beta: zeros([4]) })).toThrow(
      'attentionBlock: gamma must have shape [4] (the last axis of x, shape [4, 4]), got [3]',
    );
    expect(() => selfAttention(x, { wq: w.wq, wk: w.wk } as never)).toThrow(
      new TypeError('selfAttention: wv must be a Tensor, got undefined'),
    );
    expect(() => selfAttention(x, undefined as never)).toThrow(
      new TypeError('selfAttention: weights must be an object { wq, wk, wv }, got undefined'),
    );
  });

  it('x of the wrong kind or rank', () => {
    expect(() => selfAttention([[1, 2]] as never, w)).toThrow(
      new TypeError('selfAttention: x must be a Tensor, got an array of length 1 (wrap arrays with tensor(...))'),
    );
    expect(() => selfAttention(r(4), w)).toThrow(new RangeError('selfAttention: x must have shape [..., T, d] (at least 2 axes), got [4]'));
  });

  it('stage functions check their own arguments', () => {
    expect(() => scores(r(3, 4), r(3, 5))).toThrow(
      'scores: q [3, 4] and k [3, 5] must have the same last dimension d_k for S = Q·Kᵀ (4 vs 5)',
    );
    expect(() => scores(r(2, 3, 4), r(3, 3, 4))).toThrow(
      /scores: cannot broadcast batch axes of q of shape \[2\] with batch axes of k of shape \[3\]/,
    );
    expect(() => scaleScores(r(3, 3), 0)).toThrow(
      new RangeError('scaleScores: dK (the key dimension d_k) must be a positive number, got number 0'),
    );
    expect(() => weightedSum(r(3, 3), r(4, 2))).toThrow('weightedSum: p [3, 3] weighs 3 keys but v [4, 2] has 4 rows (Z = P·V)');
    expect(() => attentionWeights(r(3))).toThrow('attentionWeights: sHat must have shape [..., T, T] (at least 2 axes), got [3]');
    expect(() => residualLayerNorm(r(3, 4), r(3, 5), { gamma: ones([4]), beta: zeros([4]) })).toThrow(
      'residualLayerNorm: x [3, 4] and z [3, 5] must have the same shape for the residual X + Z',
    );
    expect(() => residualLayerNorm(r(3, 4), r(3, 4), { gamma: ones([4]), beta: zeros([4]) }, 0)).toThrow(
      new RangeError('residualLayerNorm: eps must be a positive finite number, got number 0'),
    );
    expect(() => causalMask(-1)).toThrow('causalMask: queries must be a non-negative integer, got number -1');
  });

  it('registry input makers check their sizes', () => {
    expect(() => stageByKey('projection').makeInputs({ seq: 0, dModel: 4 })).toThrow(
      new RangeError('projection.makeInputs: sizes.seq must be a positive integer, got number 0'),
    );
    expect(() => composites[1].makeInputs({ seq: 3, dModel: 4, heads: 3 })).toThrow(
      'multiHeadAttention.makeInputs: sizes.heads (3) must divide sizes.dModel (4)',
    );
    const inputs = stageByKey('scaling').makeInputs({ seq: 3, dModel: 4 });
    expect(() => stageByKey('scaling').run({ s: inputs.s })).toThrow(
      new TypeError('scaling.run: inputs.dK must be a one-element tensor, got undefined'),
    );
  });
});

describe('a composite names its own arguments when their dtypes differ (not the inner matmul)', () => {
  const x32 = x.to('float32');
  it.each([
    ['selfAttention', () => selfAttention(x32, w), 'selfAttention: x is float32 but wq is float64'],
    ['selfAttention (wv)', () => selfAttention(x, { ...w, wv: w.wv.to('float32') }), 'selfAttention: x is float64 but wv is float32'],
    [
      'multiHeadAttention (wo)',
      () => multiHeadAttention(x, { ...w, wo: r(4, 4).to('float32') }, { heads: 2 }),
      'multiHeadAttention: x is float64 but wo is float32',
    ],
    ['project', () => project(x32, w), 'project: x is float32 but wq is float64'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});
