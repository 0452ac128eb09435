import type { Bilingual, Difference, StageInputs } from '@attograd/attention';
import { softmax } from '@attograd/ops';
import { noGrad, randn, rng, Tensor, tensor } from '@attograd/tensor';
import type { ExampleSizes } from './example';
import { gptTopic } from './training-gpt';
import { crossEntropyLink, embeddingLink, geluLink, geluSlope, type Link } from './training-links';

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
