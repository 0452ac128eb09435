import { causalMask, difference } from '@attograd/attention';
import { add } from '@attograd/ops';
import { gradients, noGrad, rng, Tensor, tensor } from '@attograd/tensor';
import { GPT, type GPTConfig } from 'attograd';
import type { ExampleSizes } from './example';
import {
  attentionLink,
  crossEntropyLink,
  embeddingLink,
  layerNormLink,
  type Link,
  linearLink,
  mlpLink,
  residualLink,
} from './training-links';
import type { ChainCheck, LinkExample, Topic } from './training-topics';

/**
 * The `gpt` training topic: a one-layer GPT of @attograd/nn cut into links, from the loss back to
 * the embeddings. The hand-derived gradient of each link is passed down the chain (added where a
 * tensor is used twice) and checked against autograd through the whole model and on the module's
 * parameters.
 */

const scalar = (value: number): Tensor => tensor(value);

/** One link of the GPT chain: where its inputs come from in the run, and the name of its output. */
interface Wired {
  readonly link: Link;
  readonly from: Readonly<Record<string, string>>;
  readonly output: string;
}

const text = (key: string, en: string, ko: string, whatEn: string, whatKo: string): Pick<Link, 'key' | 'title' | 'what'> => ({
  key,
  title: { en, ko },
  what: { en: whatEn, ko: whatKo },
});

/**
 * The GPT of the topic and its sequence: one block, vocabulary 7, hidden width 2d, no biases,
 * weights N(0, 0.5²) (GPT-2's 0.02 would leave every softmax nearly uniform), an untied head;
 * T seeded token ids whose last repeats the first, and next-token targets.
 *
 * @example
 * const { config, ids, targets } = gptExample({ seq: 3, dModel: 4, heads: 1, seed: 0, causal: false });
 */
export function gptExample(sizes: ExampleSizes): { config: GPTConfig; ids: number[]; targets: number[] } {
  const vocab = 7;
  const { seq, dModel, heads, seed } = sizes;
  const config: GPTConfig = {
    vocabSize: vocab,
    blockSize: seq,
    dModel,
    heads,
    layers: 1,
    hidden: 2 * dModel,
    bias: false,
    initStd: 0.5,
    rng: rng(seed),
  };
  const draw = rng(seed + 41);
  const ids = Array.from({ length: seq }, () => draw.nextUint32() % vocab);
  if (seq > 1) ids[seq - 1] = ids[0]; // a repeated token: its row of dE adds two rows
  const targets = [...ids.slice(1), draw.nextUint32() % vocab];
  return { config, ids, targets };
}

/** The one-layer GPT of the topic, its links wired in forward order, and its run. */
function gptChain(sizes: ExampleSizes) {
  const { seq, dModel, heads } = sizes;
  const { config, ids, targets } = gptExample(sizes);
  const model = new GPT(config);
  const block = model.blocks.at(0);
  const transposed = (w: Tensor, row0: number, rows: number): Tensor => {
    const width = w.shape[1];
    const out = new Float64Array(rows * width);
    for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[c * rows + r] = w.data[(row0 + r) * width + c];
    return new Tensor(out, [width, rows], { requiresGrad: true });
  };
  const inProj = block.attention.inProjWeight;
  const run: Record<string, Tensor> = {
    E: model.tokenEmbedding.weight,
    P: model.positionEmbedding.weight,
    ids: tensor(ids, { dtype: 'int32' }),
    y: tensor(targets, { dtype: 'int32' }),
    g1: block.ln1.weight!,
    b1: block.ln1.bias!,
    wq: transposed(inProj, 0, dModel),
    wk: transposed(inProj, dModel, dModel),
    wv: transposed(inProj, 2 * dModel, dModel),
    wo: transposed(block.attention.outProj.weight, 0, dModel),
    mask: causalMask(seq),
    g2: block.ln2.weight!,
    b2: block.ln2.bias!,
    w1: block.mlp.fc1.weight,
    w2: block.mlp.fc2.weight,
    gf: model.finalNorm.weight!,
    bf: model.finalNorm.bias!,
    wh: model.head!.weight,
  };
  const ln = (key: string, en: string, ko: string, g: string, b: string, input: string, out: string, eps: number): Wired => ({
    link: layerNormLink(
      eps,
      { x: input, gamma: g, beta: b, out },
      text(
        key,
        en,
        ko,
        `Normalises each row of ${input}; its dX goes back into the residual stream.`,
        `${input}의 각 행을 정규화한다. 이 링크의 dX는 잔차 흐름으로 돌아간다.`,
      ),
    ),
    from: { x: input, gamma: g, beta: b },
    output: out,
  });
  const chain: Wired[] = [
    {
      link: embeddingLink(
        true,
        { table: 'E', positions: 'P_pos', ids: 'ids', out: 'X_0' },
        text(
          'embeddings',
          'Token + position embedding: X_0 = E[ids] + P_pos[0 … T−1]',
          '토큰 + 위치 임베딩: X_0 = E[ids] + P_pos[0 … T−1]',
          'The first link: dE is the scatter-add of dX_0 (a repeated token adds two rows), dP_pos takes dX_0 in its first T rows (P_pos, the position table, is not the attention weights P).',
          '첫 링크: dE는 dX_0을 흩어 더한 것이고 (반복되는 토큰은 두 행을 더한다), dP_pos는 dX_0을 앞쪽 T개 행에 받는다 (위치 표 P_pos는 어텐션 가중치 P와 다르다).',
        ),
      ),
      from: { table: 'E', positions: 'P_pos', ids: 'ids' },
      output: 'X_0',
    },
    ln(
      'ln1',
      'Block: first layer norm N_1 = LayerNorm(X_0)',
      '블록: 첫 레이어 정규화 N_1 = LayerNorm(X_0)',
      'γ_1',
      'β_1',
      'X_0',
      'N_1',
      block.ln1.eps,
    ),
    {
      link: attentionLink(
        heads,
        { x: 'N_1', wq: 'W_q', wk: 'W_k', wv: 'W_v', wo: 'W_o', mask: 'M', out: 'A' },
        text(
          'attention',
          'Block: causal multi-head attention with W_o, A = MHA(N_1)',
          '블록: W_o를 포함한 인과 멀티헤드 어텐션, A = MHA(N_1)',
          'The stages of attograd explain all, chained: each W here is the transpose of the module’s PyTorch-layout weight.',
          'attograd explain all의 단계들을 이어 붙인 것이다. 여기의 W는 모두 모듈이 PyTorch 배치로 저장한 가중치의 전치이다.',
        ),
      ),
      from: { x: 'N_1', wq: 'W_q', wk: 'W_k', wv: 'W_v', wo: 'W_o', mask: 'M' },
      output: 'A',
    },
    {
      link: residualLink(
        { a: 'X_0', b: 'A', out: 'H' },
        text(
          'residual1',
          'Block: residual H = X_0 + A',
          '블록: 잔차 연결 H = X_0 + A',
          'dH reaches X_0 unchanged: X_0 is used twice, so its gradient is this plus what comes back through the first layer norm.',
          'dH가 그대로 X_0에 닿는다. X_0은 두 번 쓰이므로 기울기는 이것과 첫 레이어 정규화를 거쳐 오는 값의 합이다.',
        ),
      ),
      from: { a: 'X_0', b: 'A' },
      output: 'H',
    },
    ln(
      'ln2',
      'Block: second layer norm N_2 = LayerNorm(H)',
      '블록: 둘째 레이어 정규화 N_2 = LayerNorm(H)',
      'γ_2',
      'β_2',
      'H',
      'N_2',
      block.ln2.eps,
    ),
    {
      link: mlpLink(
        { x: 'N_2', w1: 'W_1', w2: 'W_2', out: 'F' },
        text(
          'mlp',
          'Block: MLP F = gelu(N_2·W_1ᵀ)·W_2ᵀ',
          '블록: MLP F = gelu(N_2·W_1ᵀ)·W_2ᵀ',
          'Two matrix products around GELU; W_1 is [2d, d] and W_2 is [d, 2d], stored [out, in].',
          'GELU를 사이에 둔 행렬곱 두 번. W_1은 [2d, d], W_2는 [d, 2d]이며 [출력, 입력]으로 저장한다.',
        ),
      ),
      from: { x: 'N_2', w1: 'W_1', w2: 'W_2' },
      output: 'F',
    },
    {
      link: residualLink(
        { a: 'H', b: 'F', out: 'X_1' },
        text(
          'residual2',
          'Block: residual X_1 = H + F',
          '블록: 잔차 연결 X_1 = H + F',
          'H is used twice as well: its gradient is dX_1 plus what comes back through the second layer norm.',
          'H도 두 번 쓰인다. 기울기는 dX_1과 둘째 레이어 정규화를 거쳐 오는 값의 합이다.',
        ),
      ),
      from: { a: 'H', b: 'F' },
      output: 'X_1',
    },
    ln(
      'lnf',
      'Final layer norm N_f = LayerNorm(X_1)',
      '마지막 레이어 정규화 N_f = LayerNorm(X_1)',
      'γ_f',
      'β_f',
      'X_1',
      'N_f',
      model.finalNorm.eps,
    ),
    {
      link: linearLink(
        { x: 'N_f', w: 'W_head', out: 'logits' },
        text(
          'head',
          'Head: logits = N_f·W_headᵀ',
          '출력 헤드: logits = N_f·W_headᵀ',
          'One score per vocabulary entry and position; W_head is [V, d] (untied from E in this example).',
          '위치마다 어휘 항목마다 점수 하나. W_head는 [V, d]이다 (이 예제에서는 E와 묶지 않는다).',
        ),
      ),
      from: { x: 'N_f', w: 'W_head' },
      output: 'logits',
    },
    {
      link: crossEntropyLink(
        { ignoreIndex: -100, labelSmoothing: 0 },
        { logits: 'logits', targets: 'y', out: 'L' },
        text(
          'loss',
          'Loss: L = crossEntropy(logits, y), the mean over the T positions',
          '손실: L = crossEntropy(logits, y), T개 위치의 평균',
          'The top of the chain: dL = 1, and the record’s rule applies with one-hot targets (ε = 0) and N = T counted positions.',
          '사슬의 맨 위: dL = 1이고, 기록의 규칙을 원-핫 목표 (ε = 0)와 세는 위치 N = T로 적용한다.',
        ),
      ),
      from: { logits: 'logits', targets: 'y' },
      output: 'L',
    },
  ];
  // Rename the run's keys to the printed names the wiring uses.
  const named: Record<string, Tensor> = {
    E: run.E,
    P_pos: run.P,
    ids: run.ids,
    y: run.y,
    γ_1: run.g1,
    β_1: run.b1,
    W_q: run.wq,
    W_k: run.wk,
    W_v: run.wv,
    W_o: run.wo,
    M: run.mask,
    γ_2: run.g2,
    β_2: run.b2,
    W_1: run.w1,
    W_2: run.w2,
    γ_f: run.gf,
    β_f: run.bf,
    W_head: run.wh,
  };
  for (const wired of chain) {
    const inputs = Object.fromEntries(Object.entries(wired.from).map(([name, source]) => [name, named[source]]));
    named[wired.output] = wired.link.run(inputs);
  }
  return { model, chain, run: named, ids, targets };
}

/** ⟨a, b⟩ summed, for a gradient that reaches one tensor by two links. */
function addGradient(into: Map<string, Tensor>, name: string, value: Tensor): void {
  const before = into.get(name);
  into.set(name, before === undefined ? value : noGrad(() => add(before, value)));
}

export const gptTopic: Topic = {
  key: 'gpt',
  title: { en: 'The gradient of a one-layer GPT, from the loss back to the embeddings', ko: '1층 GPT의 기울기: 손실에서 임베딩까지' },
  intro: {
    en: 'A GPT from @attograd/nn with one pre-norm block (vocabulary V = 7, hidden width 2d, no biases), run on one sequence of T token ids with next-token targets. Each link below is one local rule; the dOut it receives is the gradient the links above it produced by hand, added where a tensor is used twice. At the end, the hand chain is compared with GPT.forward and with the gradients autograd leaves on the module’s parameters.',
    ko: '@attograd/nn의 GPT로, 프리-노름 블록 하나 (어휘 V = 7, 은닉 폭 2d, 편향 없음)를 T개 토큰 id 시퀀스 하나와 다음 토큰 목표로 실행한다. 아래 링크마다 국소 규칙 하나가 있다. 링크가 받는 dOut은 위쪽 링크들이 손으로 만든 기울기이며, 한 텐서가 두 번 쓰이면 더한다. 마지막에 손으로 이은 사슬을 GPT.forward, 그리고 자동 미분이 모듈의 매개변수에 남긴 기울기와 비교한다.',
  },
  ops: [],
  build(sizes) {
    const { model, chain, run, ids, targets } = gptChain(sizes);
    const outputs = chain.map((wired) => run[wired.output]);
    const autogradUpstream = gradients(run.L, outputs.slice(0, -1));
    const handGradients = new Map<string, Tensor>([['L', scalar(1)]]);
    const links: LinkExample[] = [];
    const checks: ChainCheck[] = [];
    for (let i = chain.length - 1; i >= 0; i--) {
      const { link, from, output } = chain[i];
      const dOut = handGradients.get(output)!;
      if (i < chain.length - 1) {
        checks.push({
          label: {
            en: `d${output}: the hand chain vs autograd through the whole model`,
            ko: `d${output}: 손으로 이은 사슬과 모델 전체의 자동 미분`,
          },
          difference: difference(dOut, autogradUpstream[i]),
        });
      }
      const inputs = Object.fromEntries(Object.entries(from).map(([name, source]) => [name, run[source].detach()]));
      links.push({ link, inputs, dOut });
      const manual = noGrad(() => link.manualBackward(inputs, dOut));
      for (const name of link.inputNames) addGradient(handGradients, from[name], manual[name]);
    }
    // The same model through its own forward and autograd.
    model.zeroGrad();
    const reference = model.forward(tensor(ids, { dtype: 'int32' }), tensor(targets, { dtype: 'int32' }));
    reference.loss!.backward();
    const block = model.blocks.at(0);
    const d = sizes.dModel;
    const transposeBack = (name: string): number[] => {
      const w = handGradients.get(name)!;
      return Array.from({ length: w.size }, (_, i) => w.data[(i % d) * d + Math.floor(i / d)]);
    };
    const inProj = new Tensor(Float64Array.from([...transposeBack('W_q'), ...transposeBack('W_k'), ...transposeBack('W_v')]), [3 * d, d]);
    const pairs: [string, Tensor, Tensor][] = [
      ['E', handGradients.get('E')!, model.tokenEmbedding.weight.grad!],
      ['P_pos', handGradients.get('P_pos')!, model.positionEmbedding.weight.grad!],
      ['in_proj_weight = [W_qᵀ; W_kᵀ; W_vᵀ]', inProj, block.attention.inProjWeight.grad!],
      ['out_proj.weight = W_oᵀ', new Tensor(Float64Array.from(transposeBack('W_o')), [d, d]), block.attention.outProj.weight.grad!],
      ['W_1', handGradients.get('W_1')!, block.mlp.fc1.weight.grad!],
      ['W_2', handGradients.get('W_2')!, block.mlp.fc2.weight.grad!],
      ['γ_1', handGradients.get('γ_1')!, block.ln1.weight!.grad!],
      ['γ_f', handGradients.get('γ_f')!, model.finalNorm.weight!.grad!],
      ['β_f', handGradients.get('β_f')!, model.finalNorm.bias!.grad!],
      ['W_head', handGradients.get('W_head')!, model.head!.weight.grad!],
    ];
    checks.push({
      label: { en: 'L: the chain vs GPT.forward', ko: 'L: 사슬과 GPT.forward' },
      difference: difference(run.L, reference.loss!),
    });
    for (const [name, hand, auto] of pairs) {
      checks.push({
        label: {
          en: `d${name}: the hand chain vs autograd on the GPT module`,
          ko: `d${name}: 손으로 이은 사슬과 GPT 모듈의 자동 미분`,
        },
        difference: difference(hand, auto),
      });
    }
    return {
      links,
      checks,
      facts: [
        ['ids', `[${ids.join(', ')}]`],
        ['y', `[${targets.join(', ')}]`],
        ['L', run.L.item().toFixed(6)],
      ],
    };
  },
};
