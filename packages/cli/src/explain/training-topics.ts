import { type Bilingual, causalMask, difference, type Difference, type StageInputs } from '@attograd/attention';
import { add, softmax } from '@attograd/ops';
import { gradients, noGrad, randn, rng, Tensor, tensor } from '@attograd/tensor';
import { GPT, type GPTConfig } from 'attograd';
import type { ExampleSizes } from './example';
import {
  attentionLink,
  crossEntropyLink,
  embeddingLink,
  geluLink,
  geluSlope,
  layerNormLink,
  type Link,
  linearLink,
  mlpLink,
  residualLink,
} from './training-links';

/**
 * The training topics of `attograd explain` (issue 13): the fused softmax-cross-entropy gradient,
 * the embedding's scatter-add, GELU, and the whole chain of a one-layer GPT. Each topic is a
 * registry entry: its titles and prose here, its formulas in the ops' derivation records
 * (`ops`), and a seeded example made of links (training-links.ts) whose gradients are computed
 * three ways. A topic is explained by the same loop whatever it contains.
 */

/** One link run on the example: its inputs (constants included) and the dOut that reaches it. */
export interface LinkExample {
  readonly link: Link;
  readonly inputs: StageInputs;
  readonly dOut: Tensor;
  /** Values that make the link's rule visible (p and q, Φ and φ, the rows a repeated id adds), by printed name. */
  readonly shown?: ReadonlyArray<readonly [string, Tensor]>;
}

/** A check of the chain as a whole: two tensors that must agree, and what they are. */
export interface ChainCheck {
  readonly label: Bilingual<string>;
  readonly difference: Difference;
}

/** What a topic's example produces. */
export interface TopicExample {
  /** The links in the order they are explained (for the GPT: from the loss back to the embeddings). */
  readonly links: readonly LinkExample[];
  /** Checks that span links (the GPT chain against the GPT module). */
  readonly checks: readonly ChainCheck[];
  /** Facts of the example, by printed name: the loss, N, the ids. */
  readonly facts: ReadonlyArray<readonly [string, string]>;
}

/** A training topic. */
export interface Topic {
  /** The argument of `attograd explain` that selects it. */
  readonly key: string;
  readonly title: Bilingual<string>;
  readonly intro: Bilingual<string>;
  /** The derivation records printed in full at the top of the topic. */
  readonly ops: readonly string[];
  build(sizes: ExampleSizes): TopicExample;
}

const scalar = (value: number): Tensor => tensor(value);

/** Rows of a tensor picked by index, as a new [rows, width] tensor. */
function rowsOf(t: Tensor, rows: readonly number[]): Tensor {
  const width = t.shape[t.rank - 1];
  const values = rows.flatMap((r) => Array.from(t.data.subarray(r * width, (r + 1) * width)));
  return new Tensor(Float64Array.from(values), [rows.length, width]);
}

const crossEntropyTopic: Topic = {
  key: 'cross-entropy',
  title: { en: 'Cross-entropy of softmax: the fused gradient', ko: '소프트맥스 크로스 엔트로피: 합친 기울기' },
  intro: {
    en: 'A classifier’s loss takes raw logits and class indices. Fusing softmax with the log-likelihood gives a gradient that is simply predicted minus target, divided by the number of counted rows. Two cases on the same logits: every row counted with one-hot targets, then label smoothing with one row ignored.',
    ko: '분류기의 손실은 로짓과 클래스 번호를 받는다. 소프트맥스와 로그 가능도를 합치면 기울기는 "예측 − 목표"를 세는 행의 수로 나눈 값이 된다. 같은 로짓으로 두 경우를 본다: 모든 행을 원-핫 목표로 세는 경우, 그리고 레이블 스무딩을 쓰고 한 행을 무시하는 경우.',
  },
  ops: ['crossEntropy'],
  build(sizes) {
    const classes = 5;
    const logits = randn([4, classes], { rng: rng(sizes.seed + 11) });
    const cases = [
      { targets: [1, 3, 0, 4], ignoreIndex: -100, labelSmoothing: 0, key: 'onehot' },
      { targets: [1, 3, -100, 4], ignoreIndex: -100, labelSmoothing: 0.1, key: 'smoothed' },
    ];
    const titles: Record<string, Bilingual<string>> = {
      onehot: { en: 'Case 1: one-hot targets (ε = 0), all 4 rows counted', ko: '경우 1: 원-핫 목표 (ε = 0), 4개 행을 모두 센다' },
      smoothed: {
        en: 'Case 2: label smoothing ε = 0.1, row 2 ignored (target = ignoreIndex = −100), N = 3',
        ko: '경우 2: 레이블 스무딩 ε = 0.1, 2번 행은 무시 (목표 = ignoreIndex = −100), N = 3',
      },
    };
    const links = cases.map(({ targets, ignoreIndex, labelSmoothing, key }): LinkExample => {
      const t = tensor(targets, { dtype: 'int32' });
      const p = noGrad(() => softmax(logits, -1));
      const q = new Float64Array(logits.size);
      targets.forEach((target, r) => {
        if (target === ignoreIndex) return;
        for (let c = 0; c < classes; c++) q[r * classes + c] = (c === target ? 1 - labelSmoothing : 0) + labelSmoothing / classes;
      });
      return {
        link: crossEntropyLink(
          { ignoreIndex, labelSmoothing },
          { logits: 'X', targets: 't', out: 'L' },
          {
            key,
            title: titles[key],
            what: {
              en: 'L is the mean over counted rows; the loss is the top of the graph, so dL = 1.',
              ko: 'L은 세는 행들의 평균이다. 손실이 그래프의 맨 위이므로 dL = 1이다.',
            },
          },
        ),
        inputs: { logits, targets: t },
        dOut: scalar(1),
        shown: [
          ['p = softmax(X)', p],
          ['q', new Tensor(q, logits.shape)],
        ],
      };
    });
    return { links, checks: [], facts: [['t', '[1, 3, 0, 4] / [1, 3, −100, 4]']] };
  },
};

const embeddingTopic: Topic = {
  key: 'embedding',
  title: { en: 'Embedding lookup: the scatter-add gradient', ko: '임베딩 조회: 흩어 더하는 기울기' },
  intro: {
    en: 'A lookup copies rows of the table, so its gradient sends each row of dY back to the row it came from. Token 1 appears twice in ids = [1, 3, 1, 4]: its row of dW is the sum of two rows of dY, and the rows of unused tokens stay 0.',
    ko: '조회는 표의 행을 복사하므로, 기울기는 dY의 각 행을 그 행이 온 자리로 돌려보낸다. ids = [1, 3, 1, 4]에서 토큰 1이 두 번 나온다: dW의 1번 행은 dY의 두 행의 합이고, 쓰이지 않은 토큰의 행은 0으로 남는다.',
  },
  ops: ['embedding'],
  build(sizes) {
    const table = randn([5, 3], { rng: rng(sizes.seed + 21) });
    const ids = tensor([1, 3, 1, 4], { dtype: 'int32' });
    const dY = randn([4, 3], { rng: rng(sizes.seed + 22) });
    const link = embeddingLink(
      false,
      { table: 'W', ids: 'ids', out: 'Y' },
      {
        key: 'lookup',
        title: { en: 'Y = W[ids], a repeated id', ko: 'Y = W[ids], 반복되는 id' },
        what: {
          en: 'dY is a seeded random tensor (never all ones); dW is computed from it.',
          ko: 'dY는 시드를 고정한 무작위 텐서이고 (모두 1인 텐서는 쓰지 않는다), dW는 이것으로 계산한다.',
        },
      },
    );
    const shownRows = rowsOf(dY, [0, 2]);
    const sum = new Tensor(
      Float64Array.from(shownRows.data.subarray(0, 3), (v, c) => v + shownRows.data[3 + c]),
      [1, 3],
    );
    return {
      links: [
        {
          link,
          inputs: { table, ids },
          dOut: dY,
          shown: [
            ['dY[0], dY[2]', shownRows],
            ['dY[0] + dY[2]', sum],
          ],
        },
      ],
      checks: [],
      facts: [['ids', '[1, 3, 1, 4]']],
    };
  },
};

const geluTopic: Topic = {
  key: 'gelu',
  title: { en: 'GELU: the exact erf form and the tanh approximation', ko: 'GELU: erf 정확식과 tanh 근사' },
  intro: {
    en: 'GELU weights its input by the probability that a standard normal variable lies below it. Its slope Φ(x) + xφ(x) dips slightly below 0 for negative inputs and overshoots 1 for positive ones. The tanh approximation of GPT-2 has its own derivative, differentiated by hand in the record’s last step.',
    ko: 'GELU는 입력에 표준 정규 확률 변수가 그 값보다 작을 확률을 곱한다. 기울기 Φ(x) + xφ(x)는 음수 입력에서 0보다 조금 작아지고 양수 입력에서 1을 조금 넘는다. GPT-2의 tanh 근사는 도함수가 따로 있으며, 기록의 마지막 단계에서 손으로 미분한다.',
  },
  ops: ['gelu'],
  build(sizes) {
    const x = tensor([-3, -1.5, -0.5, 0, 0.5, 1.5, 3]);
    const dY = randn([7], { rng: rng(sizes.seed + 31) });
    const forms = [
      { approximate: 'none', en: 'Exact form: Y = X ⊙ Φ(X)', ko: '정확식: Y = X ⊙ Φ(X)' },
      { approximate: 'tanh', en: 'Tanh approximation', ko: 'tanh 근사' },
    ] as const;
    const links = forms.map(({ approximate, en, ko }): LinkExample => {
      const slope = Float64Array.from(geluSlope(x, approximate));
      return {
        link: geluLink(
          approximate,
          { x: 'X', out: 'Y' },
          {
            key: approximate === 'none' ? 'exact' : 'tanh',
            title: { en, ko },
            what: {
              en: 'dY is a seeded random vector; the slope is gelu′(X) element by element.',
              ko: 'dY는 시드를 고정한 무작위 벡터이고, 기울기 계수는 원소마다 gelu′(X)이다.',
            },
          },
        ),
        inputs: { x },
        dOut: dY,
        shown: [['gelu′(X)', new Tensor(slope, [7])]],
      };
    });
    return { links, checks: [], facts: [['X', '[−3, −1.5, −0.5, 0, 0.5, 1.5, 3]']] };
  },
};

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

const gptTopic: Topic = {
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

/** The training topics, in the order `--help` lists them. */
export const topics: readonly Topic[] = [crossEntropyTopic, embeddingTopic, geluTopic, gptTopic];

/**
 * The topic an argument names ('cross-entropy', 'crossentropy', 'embedding', 'gelu', 'gpt'), or
 * undefined.
 *
 * @example
 * topicByArgument('crossEntropy')?.key // 'cross-entropy'
 */
export function topicByArgument(argument: string | undefined): Topic | undefined {
  if (argument === undefined) return undefined;
  const folded = argument.toLowerCase().replace(/[-_\s]/g, '');
  return topics.find((topic) => topic.key.replace(/-/g, '') === folded);
}
