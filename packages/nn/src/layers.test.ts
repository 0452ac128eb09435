import { describe, expect, it } from 'vitest';
import { noGrad, randn, rng, Tensor, tensor } from '@attograd/tensor';
import { crossEntropy, layerNorm, transpose } from '@attograd/ops';
import { multiHeadAttention } from '@attograd/attention';
import { Dropout, Embedding, FeedForward, GPT, LayerNorm, Linear, MultiHeadAttention, TransformerBlock } from './index';

const ids = (values: number[], shape: number[]): Tensor => new Tensor(Int32Array.from(values), shape);
const maxDiff = (a: Tensor, b: Tensor): number => Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i])));
const set = (t: Tensor, values: number[][] | number[]): void => noGrad(() => void t.copy_(tensor(values)));

describe('Linear', () => {
  it('computes x·Wᵀ + b with W in the [out, in] layout (by hand)', () => {
    const layer = new Linear(2, 3);
    set(layer.weight, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    set(layer.bias!, [0.5, -1, 2]);
    expect(layer.forward(tensor([[1, -1]])).toArray()).toEqual([[-0.5, -2, 1]]);
    expect(layer.forward(tensor([1, -1])).toArray()).toEqual([-0.5, -2, 1]); // a single vector
    expect(layer.forward(randn([2, 4, 2])).shape).toEqual([2, 4, 3]);
  });

  it('names the layer, the argument and the shapes when x does not fit', () => {
    const layer = new Linear(4, 3);
    expect(() => layer.forward(randn([2, 5]))).toThrow('Linear.forward: x must have shape [..., 4] (in features), got [2, 5]');
    expect(() => layer.forward(randn([2, 4], { dtype: 'float32' }))).toThrow(
      "Linear.forward: x is float32 but the layer's parameters are float64",
    );
    expect(() => new Linear(0, 3)).toThrow('Linear: inFeatures must be an integer ≥ 1, got 0');
    expect(() => new Linear(0, 3)).toThrow(RangeError);
    // Not a number at all: a TypeError (tensor's checkInteger, shared with the optimizers).
    expect(() => new Linear('4' as never, 3)).toThrow(new TypeError('Linear: inFeatures must be an integer ≥ 1, got the string "4"'));
    expect(() => new Embedding(10, undefined as never)).toThrow(
      new TypeError('Embedding: embeddingDim must be an integer ≥ 1, got undefined'),
    );
  });
});

describe('Embedding', () => {
  it('looks up rows for int32 ids of any shape', () => {
    const table = new Embedding(4, 2);
    set(table.weight, [
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(table.forward(ids([3, 0, 3], [1, 3])).toArray()).toEqual([
      [
        [6, 7],
        [0, 1],
        [6, 7],
      ],
    ]);
  });

  it('refuses float ids and ids outside the table', () => {
    const table = new Embedding(4, 2);
    expect(() => table.forward(tensor([1, 2]))).toThrow(
      /Embedding.forward: ids must be an int32 tensor of token ids, got float64 of shape \[2\]/,
    );
    expect(() => table.forward(ids([4], [1]))).toThrow(/outside \[0, 4\)/);
  });
});

describe('LayerNorm and Dropout', () => {
  it('LayerNorm is the layerNorm op with its own γ and β', () => {
    const norm = new LayerNorm(3, { eps: 1e-3 });
    set(norm.weight!, [1, 2, 3]);
    set(norm.bias!, [0, -1, 1]);
    const x = randn([2, 3], { rng: rng(1) });
    expect(norm.forward(x).toArray()).toEqual(layerNorm(x, norm.weight, norm.bias, 1e-3).toArray());
    expect(new LayerNorm(3, { elementwiseAffine: false }).parameters()).toHaveLength(0);
  });

  it('Dropout drops about p of the values while training and is the identity in eval mode', () => {
    const drop = new Dropout(0.25, { rng: rng(2) });
    const x = randn([100, 100], { rng: rng(3) });
    const dropped = Array.from(drop.forward(x).data).filter((v) => v === 0).length;
    expect(Math.abs(dropped / 10000 - 0.25)).toBeLessThan(0.02); // 5 standard deviations ≈ 0.022
    expect(drop.eval().forward(x)).toBe(x);
    expect(() => new Dropout(1)).toThrow('Dropout: p must be a number in [0, 1), got number 1');
  });
});

describe('MultiHeadAttention', () => {
  it('with zero biases equals the attention package’s multiHeadAttention with the transposed weights', () => {
    const attention = new MultiHeadAttention(6, 3, { rng: rng(4) });
    const x = randn([2, 4, 6], { rng: rng(5) });
    const w = attention.inProjWeight;
    const rows = (i: number): Tensor => tensor(Array.from(w.data.subarray(i * 36, (i + 1) * 36)), { shape: [6, 6] });
    const expected = multiHeadAttention(
      x,
      { wq: transpose(rows(0)), wk: transpose(rows(1)), wv: transpose(rows(2)), wo: transpose(attention.outProj.weight) },
      { heads: 3, causal: true },
    );
    expect(maxDiff(attention.forward(x, { causal: true }), expected)).toBeLessThan(1e-14);
  });

  it('is causal: changing a later position leaves the earlier outputs unchanged', () => {
    const attention = new MultiHeadAttention(4, 2, { rng: rng(6) });
    const x = randn([1, 5, 4], { rng: rng(7) });
    const changed = x.clone();
    for (let c = 0; c < 4; c++) changed.data[4 * 4 + c] += 1;
    const a = attention.forward(x, { causal: true });
    const b = attention.forward(changed, { causal: true });
    expect(maxDiff(new Tensor(a.data.subarray(0, 16), [16]), new Tensor(b.data.subarray(0, 16), [16]))).toBe(0);
    expect(maxDiff(a, b)).toBeGreaterThan(0);
  });

  it('takes a per-head mask with one more axis than x', () => {
    const attention = new MultiHeadAttention(4, 2, { rng: rng(8) });
    const x = randn([2, 3, 4], { rng: rng(9) });
    const perHead = new Tensor(new Float64Array(2 * 2 * 3 * 3).fill(1), [2, 2, 3, 3]);
    expect(maxDiff(attention.forward(x, { mask: perHead }), attention.forward(x))).toBe(0);
  });

  it('a shared mask with batch axes ([B, T, T]) masks every head as @attograd/attention does', () => {
    const layer = new MultiHeadAttention(4, 2, { rng: rng(10) });
    const x = randn([2, 3, 4], { rng: rng(11) });
    const mask = new Tensor(
      Float64Array.from({ length: 2 * 3 * 3 }, (_, i) => (i % 4 === 1 ? 0 : 1)),
      [2, 3, 3],
    );
    const w = layer.inProjWeight;
    const rows = (i: number): Tensor => tensor(Array.from(w.data.subarray(i * 16, (i + 1) * 16)), { shape: [4, 4] });
    const weights = { wq: transpose(rows(0)), wk: transpose(rows(1)), wv: transpose(rows(2)), wo: transpose(layer.outProj.weight) };
    const expected = multiHeadAttention(x, weights, { heads: 2, mask });
    expect(maxDiff(layer.forward(x, { mask }), expected)).toBeLessThan(1e-14);
    expect(maxDiff(layer.forward(x, { mask }), layer.forward(x))).toBeGreaterThan(0);
  });

  it('names a mask with more axes than [..., H, T, T]', () => {
    const layer = new MultiHeadAttention(4, 2);
    expect(() => layer.forward(randn([2, 3, 4]), { mask: randn([1, 2, 2, 3, 3]) })).toThrow(
      /^MultiHeadAttention\.forward: mask of shape \[1, 2, 2, 3, 3\] has too many axes for x \[2, 3, 4\]/,
    );
  });

  it('names wrong sizes', () => {
    expect(() => new MultiHeadAttention(6, 4)).toThrow(
      'MultiHeadAttention: numHeads (4) must divide embedDim (6): each head takes embedDim/numHeads columns',
    );
    const attention = new MultiHeadAttention(4, 2);
    expect(() => attention.forward(randn([3, 5]))).toThrow('MultiHeadAttention.forward: x must have shape [..., 4] (embedDim), got [3, 5]');
    expect(() => attention.forward(randn([3, 4]), { mask: randn([2, 2]) })).toThrow(/mask of shape \[2, 2\] does not broadcast/);
  });
});

describe('FeedForward and TransformerBlock', () => {
  it('FeedForward has a hidden width of 4·d by default', () => {
    const mlp = new FeedForward(3, { rng: rng(10) });
    expect(mlp.fc1.weight.shape).toEqual([12, 3]);
    expect(mlp.fc2.weight.shape).toEqual([3, 12]);
    expect(() => new FeedForward(3, { activation: 'swish' as never })).toThrow(/activation must be 'gelu', 'geluTanh' or 'relu'/);
  });

  it('a block keeps the shape and is causal when asked', () => {
    const block = new TransformerBlock(4, 2, { rng: rng(11) });
    const x = randn([1, 3, 4], { rng: rng(12) });
    const y = block.forward(x, { causal: true });
    expect(y.shape).toEqual([1, 3, 4]);
    const changed = x.clone();
    changed.data[11] += 1;
    expect(Array.from(block.forward(changed, { causal: true }).data.subarray(0, 8))).toEqual(Array.from(y.data.subarray(0, 8)));
  });
});

describe('GPT', () => {
  const config = { vocabSize: 7, blockSize: 5, dModel: 8, heads: 2, layers: 2 };

  it('returns [B, T, V] logits and the mean cross-entropy over the counted positions', () => {
    const model = new GPT({ ...config, rng: rng(13) });
    const input = ids([1, 2, 3, 4, 5, 6], [2, 3]);
    const targets = ids([2, 3, -100, 5, 6, 0], [2, 3]);
    const { logits, loss } = model.forward(input, targets);
    expect(logits.shape).toEqual([2, 3, 7]);
    expect(loss!.item()).toBeCloseTo(crossEntropy(logits, targets).item(), 14);
    expect(model.forward(ids([1, 2, 3], [3])).logits.shape).toEqual([3, 7]);
    expect(model.forward(input).loss).toBeNull();
  });

  it('a tied head has no parameter of its own and reads the token embedding', () => {
    const tied = new GPT({ ...config, tiedHead: true, rng: rng(14) });
    expect(tied.head).toBeNull();
    expect(tied.namedParameters().some(([name]) => name.startsWith('head'))).toBe(false);
    const untied = new GPT({ ...config, rng: rng(14) });
    expect(untied.parameterCount() - tied.parameterCount()).toBe(7 * 8);
  });

  it('initialises as GPT-2: biases 0, layer norms 1 and 0, residual projections smaller', () => {
    const model = new GPT({ ...config, dModel: 64, rng: rng(15) });
    const state = model.stateDict();
    expect(Array.from(state['blocks.0.mlp.fc1.bias'].data).every((v) => v === 0)).toBe(true);
    expect(Array.from(state['blocks.1.ln2.weight'].data).every((v) => v === 1)).toBe(true);
    const std = (t: Tensor): number => Math.sqrt(Array.from(t.data).reduce((a, v) => a + v * v, 0) / t.size);
    expect(std(state['blocks.0.mlp.fc1.weight'])).toBeCloseTo(0.02, 2);
    expect(std(state['blocks.0.mlp.fc2.weight'])).toBeCloseTo(0.01, 2); // 0.02/√(2·2)
  });

  it('generate is reproducible from its seed, greedy without one, and crops the context to blockSize', () => {
    const model = new GPT({ ...config, initStd: 0.5, rng: rng(16) });
    const prompt = ids([1, 2], [1, 2]);
    const a = model.generate(prompt, 8, { rng: rng(17) });
    const b = model.generate(prompt, 8, { rng: rng(17) });
    expect(a.shape).toEqual([1, 10]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data.subarray(0, 2))).toEqual([1, 2]);
    const greedy = model.generate(prompt, 1, { temperature: 0 });
    const { logits } = model.forward(prompt);
    const last = Array.from(logits.data.subarray(7, 14));
    expect(greedy.data[2]).toBe(last.indexOf(Math.max(...last)));
  });

  it('names bad ids and targets', () => {
    const model = new GPT({ ...config, rng: rng(18) });
    expect(() => model.forward(tensor([[1, 2]]))).toThrow(
      'GPT.forward: ids must be an int32 tensor of token ids, got float64 of shape [1, 2]',
    );
    expect(() => model.forward(ids(new Array(6).fill(0), [1, 6]))).toThrow(
      "GPT.forward: ids has 6 positions (shape [1, 6]) but the model's blockSize is 5",
    );
    expect(() => model.forward(ids([1, 2], [1, 2]), ids([1], [1, 1]))).toThrow(
      'GPT.forward: targets must have the shape of ids [1, 2], got [1, 1]',
    );
    expect(() => new GPT({ ...config, heads: 3 })).toThrow(/numHeads \(3\) must divide embedDim \(8\)/);
    expect(() => new GPT({ ...config, layers: 0 })).toThrow('GPT: config.layers must be an integer ≥ 1, got 0');
  });
});
