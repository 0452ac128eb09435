import { describe, expect, it } from 'vitest';
import { randn, rng, type Tensor, tensor, zeros } from '@attograd/tensor';
import { matmul } from '@attograd/ops';
import { GPT, LayerNorm, Linear, Module, ModuleList } from './index';

/** Two linear layers in a list, plus a parameter of its own, one of them shared (tied). */
class Net extends Module {
  readonly layers: ModuleList<Linear>;
  readonly scale: Tensor;
  readonly norm: LayerNorm;

  constructor(tie = false) {
    super();
    this.scale = this.addParameter('scale', zeros([2]));
    this.layers = this.addModule('layers', new ModuleList([new Linear(2, 3, { rng: rng(1) }), new Linear(3, 2, { rng: rng(2) })]));
    this.norm = this.addModule('norm', new LayerNorm(2));
    if (tie) this.addParameter('tied', this.layers.at(0).weight);
  }
}

describe('Module', () => {
  it('names parameters with dots, in registration order, and counts them', () => {
    const net = new Net();
    expect(net.namedParameters().map(([name]) => name)).toEqual([
      'scale',
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'norm.weight',
      'norm.bias',
    ]);
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(net.parameterCount()).toBe(2 + 6 + 3 + 6 + 2 + 2 + 2);
    expect(net.namedModules().map(([name]) => name)).toEqual(['', 'layers', 'layers.0', 'layers.1', 'norm']);
  });

  it('lists a tied tensor once among parameters but under both names in the state dict', () => {
    const net = new Net(true);
    expect(net.parameters()).toHaveLength(7);
    expect(Object.keys(net.stateDict())).toContain('tied');
    expect(net.stateDict().tied.toArray()).toEqual(net.layers.at(0).weight.toArray());
  });

  it('train() and eval() reach every descendant', () => {
    const net = new Net();
    net.eval();
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    net.train();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
  });

  it('zeroGrad forgets every gradient', () => {
    const net = new Net();
    const y = net.layers.at(1).forward(net.layers.at(0).forward(randn([4, 2], { rng: rng(3) })));
    y.backward(randn(y.shape, { rng: rng(4) }));
    expect(net.layers.at(0).weight.grad).not.toBeNull();
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('stateDict returns copies: changing them changes nothing in the module', () => {
    const net = new Net();
    const state = net.stateDict();
    state['layers.0.weight'].data[0] = 123;
    expect(net.layers.at(0).weight.data[0]).not.toBe(123);
    expect(state['layers.0.weight'].requiresGrad).toBe(false);
  });

  it('loadStateDict copies values in (a round trip gives the same outputs) and bumps versions', () => {
    const source = new Net();
    const target = new Net();
    const before = target.layers.at(0).weight.version;
    target.loadStateDict(source.stateDict());
    expect(target.layers.at(0).weight.version).toBeGreaterThan(before);
    const x = randn([3, 2], { rng: rng(5) });
    expect(target.layers.at(0).forward(x).toArray()).toEqual(source.layers.at(0).forward(x).toArray());
  });

  it('loadStateDict reports every missing, unexpected and mis-shaped name at once, and changes nothing', () => {
    const net = new Net();
    const before = JSON.stringify(Object.values(net.stateDict()).map((t) => t.toArray()));
    const state = net.stateDict();
    delete state['norm.bias'];
    state['layers.2.weight'] = zeros([2, 2]);
    state['layers.1.weight'] = zeros([3, 2]);
    state.scale = tensor([9, 9]);
    let message = '';
    try {
      net.loadStateDict(state);
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Net\.loadStateDict: /);
    expect(message).toContain('missing norm.bias [2]');
    expect(message).toContain('unexpected layers.2.weight [2, 2]');
    expect(message).toContain('layers.1.weight has shape [3, 2] in state but [2, 3] in the module');
    expect(JSON.stringify(Object.values(net.stateDict()).map((t) => t.toArray()))).toBe(before); // scale was not written
  });

  it('loadStateDict with strict: false loads what matches and returns what did not', () => {
    const net = new Net();
    const state = { scale: tensor([1, 2]), extra: zeros([1]) };
    expect(net.loadStateDict(state, { strict: false })).toEqual({
      missing: ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'norm.weight', 'norm.bias'],
      unexpected: ['extra'],
    });
    expect(net.scale.toArray()).toEqual([1, 2]);
  });

  it('loadStateDict rejects a non-tensor value and a non-object state by name', () => {
    const net = new Net();
    expect(() => net.loadStateDict({ ...net.stateDict(), scale: [1, 2] as never })).toThrow(
      /Net\.loadStateDict: scale must be a Tensor, got an array of length 2/,
    );
    expect(() => net.loadStateDict(null as never)).toThrow(TypeError);
  });

  it('refuses bad names and duplicates, and a non-leaf parameter', () => {
    class Bad extends Module {
      constructor(kind: string) {
        super();
        const w = randn([2], { requiresGrad: true });
        if (kind === 'dot') this.addParameter('a.b', w);
        if (kind === 'twice') {
          this.addParameter('w', w);
          this.addModule('w', new Linear(1, 1));
        }
        if (kind === 'non-leaf') this.addParameter('w', matmul(randn([1, 2], { requiresGrad: true }), randn([2, 2])));
      }
    }
    expect(() => new Bad('dot')).toThrow(/Bad\.addParameter: a name must be a non-empty string without dots/);
    expect(() => new Bad('twice')).toThrow(/Bad\.addModule: the name "w" is already taken/);
    expect(() => new Bad('non-leaf')).toThrow(/must be a leaf tensor/);
  });

  it('ModuleList iterates, indexes and names its items', () => {
    const list = new ModuleList([new Linear(1, 1), new Linear(1, 1)]);
    expect([...list]).toHaveLength(2);
    expect(list.length).toBe(2);
    expect(() => list.at(2)).toThrow(/ModuleList\.at: index 2 is out of range for a list of 2/);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('a GPT state dict uses PyTorch names for the layers that have a PyTorch counterpart', () => {
    const names = Object.keys(new GPT({ vocabSize: 5, blockSize: 3, dModel: 4, heads: 2, layers: 1, rng: rng(0) }).stateDict());
    expect(names).toEqual([
      'tokenEmbedding.weight',
      'positionEmbedding.weight',
      'blocks.0.ln1.weight',
      'blocks.0.ln1.bias',
      'blocks.0.attention.in_proj_weight',
      'blocks.0.attention.in_proj_bias',
      'blocks.0.attention.out_proj.weight',
      'blocks.0.attention.out_proj.bias',
      'blocks.0.ln2.weight',
      'blocks.0.ln2.bias',
      'blocks.0.mlp.fc1.weight',
      'blocks.0.mlp.fc1.bias',
      'blocks.0.mlp.fc2.weight',
      'blocks.0.mlp.fc2.bias',
      'finalNorm.weight',
      'finalNorm.bias',
      'head.weight',
    ]);
  });
});
