import { describe, expect, it } from 'vitest';
import { type Tensor, randn, rng, tensor } from '@attograd/tensor';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { SGD } from './sgd';
import type { Optimizer, OptimizerStateDict } from './optimizer';

/** Two parameters and seeded per-step gradients (the same for every run). */
function problem() {
  const params = [randn([2, 3], { rng: rng(1), requiresGrad: true }), randn([3], { rng: rng(2), requiresGrad: true })];
  const grads = Array.from({ length: 10 }, (_, step) => params.map((p, i) => randn(p.shape, { rng: rng(100 + 2 * step + i) })));
  return { params, grads };
}

function run(optimizer: Optimizer, params: Tensor[], grads: Tensor[][], from: number, to: number): void {
  for (let step = from; step < to; step++) {
    params.forEach((p, i) => (p.grad = grads[step][i].clone()));
    optimizer.step();
  }
}

describe('stateDict / loadStateDict', () => {
  const makers: [string, (params: Tensor[]) => Optimizer][] = [
    [
      'SGD with Nesterov momentum',
      (params) => new SGD([{ params: [params[0]] }, { params: [params[1]], lr: 0.02 }], { lr: 0.1, momentum: 0.9, nesterov: true }),
    ],
    ['Adam with amsgrad', (params) => new Adam(params, { lr: 0.01, amsgrad: true, weightDecay: 0.1 })],
    ['AdamW', (params) => new AdamW(params, { lr: 0.01 })],
  ];
  for (const [name, make] of makers) {
    it(`${name}: stopping after 5 steps and resuming in a new optimizer gives the same 10-step trajectory, to the bit`, () => {
      const straight = problem();
      run(make(straight.params), straight.params, straight.grads, 0, 10);

      const first = problem();
      const before = make(first.params);
      run(before, first.params, first.grads, 0, 5);
      const saved = before.stateDict();
      run(before, first.params, first.grads, 5, 7); // the saved copy must not follow these steps
      // A new optimizer over new tensors holding the parameters as they were after step 5.
      const second = problem();
      const resumedAt = problem();
      run(make(resumedAt.params), resumedAt.params, resumedAt.grads, 0, 5);
      second.params.forEach((p, i) => p.data.set(resumedAt.params[i].data));
      const after = make(second.params);
      after.loadStateDict(saved);
      run(after, second.params, second.grads, 5, 10);
      second.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(straight.params[i].data)));
    });
  }

  it('numbers parameters across groups and copies every tensor', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const optimizer = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }]);
    a.grad = tensor([1, 1]);
    optimizer.step();
    const saved = optimizer.stateDict();
    expect(saved.optimizer).toBe('Adam');
    expect(saved.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(saved.paramGroups[1]).toMatchObject({ lr: 0.5, betas: [0.9, 0.999] });
    expect(Object.keys(saved.state)).toEqual(['0']); // b has had no step
    expect(saved.state[0].step).toBe(1);
    const live = optimizer.state.get(a)!.expAvg as Tensor;
    expect((saved.state[0].expAvg as Tensor).data).not.toBe(live.data);
    (saved.paramGroups[0].betas as number[])[0] = 0.1;
    expect(optimizer.paramGroups[0].betas[0]).toBe(0.9);
  });

  it('converts loaded state to the parameter’s dtype', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const source = new Adam([a]);
    a.grad = tensor([1, 1]);
    source.step();
    const b = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const target = new Adam([b]);
    target.loadStateDict(source.stateDict());
    expect((target.state.get(b)!.expAvg as Tensor).dtype).toBe('float32');
  });

  describe('refuses a state dict that does not fit, with a clear error, and changes nothing', () => {
    const setup = () => {
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3], { requiresGrad: true });
      const optimizer = new Adam([a, b], { lr: 0.1 });
      a.grad = tensor([1, 1]);
      b.grad = tensor([1]);
      optimizer.step();
      return { optimizer, saved: optimizer.stateDict() };
    };
    const edits: [string, (saved: OptimizerStateDict) => unknown, string][] = [
      [
        'from another optimizer',
        (s) => void (s.optimizer = 'SGD'),
        'Adam.loadStateDict: the state dict was saved by the string "SGD", not by Adam',
      ],
      [
        'another number of groups',
        (s) => s.paramGroups.push({ ...s.paramGroups[0], params: [] }),
        'Adam.loadStateDict: the state dict has 2 parameter group(s) but this optimizer has 1',
      ],
      [
        'another group size',
        (s) => s.paramGroups[0].params.pop(),
        'Adam.loadStateDict: paramGroups[0] holds 1 parameter(s) but group 0 of this optimizer holds 2',
      ],
      [
        'a state tensor of another shape',
        (s) => (s.state[1].expAvg = tensor([1, 2])),
        'Adam.loadStateDict: state[1].expAvg has shape [2] but its parameter has shape [1]',
      ],
      [
        'a missing state tensor',
        (s) => delete s.state[0].expAvgSq,
        'Adam.loadStateDict: state[0].expAvgSq must be a Tensor, got undefined',
      ],
      [
        'a state key of another optimizer',
        (s) => (s.state[0].momentumBuffer = tensor([0, 0])),
        "Adam.loadStateDict: state[0] has unknown entry 'momentumBuffer'",
      ],
      ['a bad step count', (s) => (s.state[0].step = 1.5), 'Adam.loadStateDict: state[0].step must be an integer ≥ 1, got 1.5'],
      [
        'state for a parameter no group lists',
        (s) => (s.state[7] = s.state[0]),
        'Adam.loadStateDict: state has an entry for parameter 7, which no parameter group lists',
      ],
      ['a bad option', (s) => (s.paramGroups[0].lr = -1), 'Adam.loadStateDict: lr of paramGroups[0] must be a finite number ≥ 0, got -1'],
      ['a missing option', (s) => delete s.paramGroups[0].eps, "Adam.loadStateDict: paramGroups[0] lacks the option 'eps'"],
      [
        'not a state dict',
        () => 'nonsense',
        'Adam.loadStateDict: expected an object { optimizer, state, paramGroups } from stateDict(), got the string "nonsense"',
      ],
    ];
    for (const [what, edit, message] of edits) {
      it(what, () => {
        const { optimizer, saved } = setup();
        const before = optimizer.stateDict();
        const replaced = edit(saved);
        const input = typeof replaced === 'string' ? replaced : saved;
        optimizer.paramGroups[0].lr = 0.3;
        expect(() => optimizer.loadStateDict(input as never)).toThrow(message);
        expect(optimizer.paramGroups[0].lr).toBe(0.3);
        const after = optimizer.stateDict();
        expect(Array.from((after.state[0].expAvg as Tensor).data)).toEqual(Array.from((before.state[0].expAvg as Tensor).data));
      });
    }
  });
});
