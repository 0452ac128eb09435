/**
 * Every fixed string of `attograd explain`, in English and Korean. The stage texts (titles, what /
 * why / result) live in the attention package's registry; these are the headings and labels
 * around them. A test walks this table so no string lacks either language.
 */

import { glossary } from '@attograd/attention';

/** The languages explain speaks. */
export type Lang = 'en' | 'ko';

/** The languages, in the order `--lang` lists them. */
export const LANGS: readonly Lang[] = ['en', 'ko'];

/**
 * A glossary term (the attention package's `glossary`, the one record of which word each language
 * uses for a concept) as a label, so that a label and the glossary cannot disagree.
 *
 * @throws Error when the glossary has no such term.
 */
function term(en: string): Record<Lang, string> {
  const entry = glossary.find((g) => g.en === en);
  if (entry === undefined) throw new Error(`explain i18n: the glossary has no term '${en}'`);
  return { en: entry.en, ko: entry.ko };
}

const STRINGS = {
  reportTitle: {
    en: 'attograd explain: the gradients of self-attention, stage by stage',
    ko: 'attograd explain: 셀프 어텐션 기울기를 단계별로',
  },
  intro: {
    en: 'Each stage: what it computes, its shapes, its forward formula, the chain-rule derivation of its backward pass, and the numbers on a small seeded example — the gradient computed three ways (derived by hand, by autograd, by finite differences).',
    ko: '단계마다 무엇을 계산하는지, 텐서 모양, 순전파 공식, 연쇄 법칙으로 유도한 역전파, 그리고 시드를 고정한 작은 예제의 숫자를 보여 준다. 기울기는 손으로 유도한 식, 자동 미분, 유한 차분의 세 가지 방법으로 계산해 비교한다.',
  },
  settings: { en: 'Settings', ko: '설정' },
  notation: { en: 'Notation', ko: '표기법' },
  conventions: { en: 'Conventions', ko: '규약' },
  toleranceStatement: {
    en: 'Errors: the absolute difference of two gradients a, b is max_i |a_i − b_i|; their relative difference is that divided by max(max_i |a_i|, max_i |b_i|). The three gradients of a stage agree when every relative difference is at most the tolerance',
    ko: '오차: 두 기울기 a, b의 절대 차이는 max_i |a_i − b_i|이고, 상대 차이는 이를 max(max_i |a_i|, max_i |b_i|)로 나눈 값이다. 한 단계의 세 기울기는 모든 상대 차이가 허용 오차 이하일 때 일치한다고 본다. 허용 오차',
  },
  opSymbols: { en: 'in this stage', ko: '이 단계에서' },
  stageSteps: { en: 'then, for this stage', ko: '이어서 이 단계에서는' },
  notes: { en: 'Notes', ko: '참고' },
  opNotes: { en: 'note', ko: '참고' },
  headSplit: {
    en: 'Head split (n_h heads): each of Q, K, V is cut into n_h blocks of d_k columns (head h takes columns h d_k … (h+1) d_k − 1) and the blocks are stacked on a head axis by reshape and permute. Stages 1 to 4 run on all heads at once; their formulas hold for every head h, with Q, K, V, S, Ŝ, P, Z standing for Q_h, K_h, V_h, S_h, Ŝ_h, P_h, Z_h (the Z of stage 6 is a different tensor: concat_h(Z_h)·W_o). With n_h = 1 the split only adds a head axis of size 1',
    ko: '헤드 나누기 (헤드 n_h개): Q, K, V를 각각 d_k열씩 n_h개의 블록으로 자르고 (헤드 h는 열 h d_k … (h+1) d_k − 1) reshape와 permute로 헤드 축에 쌓는다. 1~4단계는 모든 헤드를 한꺼번에 처리하며, 그 식들은 각 헤드 h에 대해 Q, K, V, S, Ŝ, P, Z를 Q_h, K_h, V_h, S_h, Ŝ_h, P_h, Z_h로 읽으면 성립한다 (6단계의 Z는 다른 텐서 concat_h(Z_h)·W_o이다). n_h = 1이면 나누기는 크기 1인 헤드 축을 더할 뿐이다',
  },
  headMerge: {
    en: 'Head merge and W_o (the output projection of multiHeadAttention in @attograd/attention, which this example runs): the heads of Z_heads are put side by side again (permute, reshape), giving concat_h(Z_h), and multiplied by W_o; the result Z is what the residual adds to X. Stage 6 derives its backward',
    ko: '헤드 합치기와 W_o (이 예제가 실행하는 @attograd/attention의 multiHeadAttention의 출력 투영): Z_heads의 헤드들을 다시 나란히 놓아 (permute, reshape) concat_h(Z_h)를 만들고 W_o를 곱한다. 그 결과 Z가 잔차 연결에서 X에 더해진다. 6단계가 역전파를 유도한다',
  },
  contents: { en: 'Contents', ko: '목차' },
  stage: { en: 'Stage', ko: '단계' },
  what: { en: 'What it computes', ko: '무엇을 계산하는가' },
  why: { en: 'Why it is needed', ko: '왜 필요한가' },
  result: { en: 'What it yields', ko: '결과' },
  shapes: { en: 'Shapes', ko: '텐서 모양' },
  tensorColumn: { en: 'tensor', ko: '텐서' },
  roleColumn: { en: 'role', ko: '역할' },
  shapeColumn: { en: 'shape', ko: '모양' },
  roleInput: { en: 'input', ko: '입력' },
  roleConstant: { en: 'constant (no gradient)', ko: '상수 (기울기 없음)' },
  roleOutput: { en: 'output', ko: '출력' },
  forward: { en: 'Forward', ko: '순전파' },
  backward: { en: 'Backward: what the code implements', ko: '역전파: 코드가 구현하는 식' },
  derivation: { en: 'Derivation, step by step (chain rule)', ko: '단계별 유도 (연쇄 법칙)' },
  fromOp: { en: 'from the op', ko: '연산' },
  linear: { en: 'linear', ko: '선형' },
  bilinear: { en: 'bilinear', ko: '쌍선형' },
  nonlinear: { en: 'nonlinear', ko: '비선형' },
  composite: { en: 'composite', ko: '합성' },
  opDefinition: { en: 'definition', ko: '정의' },
  opSaves: { en: 'saved for backward', ko: '역전파를 위해 저장하는 값' },
  jacobian: { en: 'Softmax Jacobian of one actual row', ko: '실제 한 행의 소프트맥스 야코비안' },
  jacobianRow: { en: 'row', ko: '행' },
  jacobianWhich: {
    en: 'counted from 0, of the first T×T matrix of P (batch 0, head 0)',
    ko: '0부터 센 번호, P의 첫 번째 T×T 행렬 (배치 0, 헤드 0)',
  },
  jacobianNote: {
    en: 'J = diag(p) − p pᵀ, p the row of P as a column vector. The vector-Jacobian product is Jᵀ·dP(row); J is symmetric, so it equals J·dP(row), which is that row of dŜ:',
    ko: 'J = diag(p) − p pᵀ, p는 P의 그 행을 열벡터로 쓴 것. 벡터-야코비안 곱은 Jᵀ·dP(행)이고, J가 대칭이므로 J·dP(행)과 같으며, 이것이 dŜ의 그 행이다:',
  },
  jacobianCheck: {
    en: 'J·dP(row) vs. hand-derived dŜ(row), largest absolute difference',
    ko: 'J·dP(행)와 손으로 유도한 dŜ(행)의 최대 절대 차이',
  },
  numbers: { en: 'The numbers', ko: '숫자로 확인하기' },
  forwardValues: { en: 'Forward values', ko: '순전파 값' },
  upstream: { en: 'Upstream gradient dOut (what flows back into this stage)', ko: '위에서 들어오는 기울기 dOut (이 단계로 되돌아오는 값)' },
  upstreamNote: {
    en: 'The example ends in the loss L = ⟨Y, G⟩ = Σ Y ⊙ G with G a seeded random tensor (never all ones, which would hide mistakes), so dY = G; dOut = ∂L/∂out is what autograd delivers to this stage. Every gradient below is the gradient of ⟨out, dOut⟩.',
    ko: '예제의 손실은 시드를 고정한 무작위 텐서 G에 대해 L = ⟨Y, G⟩ = Σ Y ⊙ G 이다 (모두 1인 G는 실수를 가리므로 쓰지 않는다). 그래서 dY = G이다. dOut = ∂L/∂out 은 자동 미분이 이 단계에 전달하는 값이며, 아래 기울기는 모두 ⟨out, dOut⟩ 의 기울기이다.',
  },
  threeWays: { en: 'The gradient three ways', ko: '세 가지 방법으로 구한 기울기' },
  manual: { en: 'hand-derived', ko: '손으로 유도' },
  autograd: { en: 'autograd', ko: '자동 미분' },
  numeric: term('finite differences'),
  relative: { en: 'largest relative difference', ko: '최대 상대 차이' },
  causal: term('causal mask'),
  largestDifference: { en: 'largest absolute difference', ko: '최대 절대 차이' },
  agree: { en: 'the three agree', ko: '세 값이 일치한다' },
  disagree: { en: 'the three DISAGREE', ko: '세 값이 일치하지 않는다' },
  gradientOf: { en: 'gradient', ko: '기울기' },
  graph: { en: 'The computation graph, as autograd recorded it', ko: '자동 미분이 기록한 계산 그래프' },
  graphNote: {
    en: 'One node per op (its name, output shape and stage), leaves for the inputs; hover a node for its backward rule.',
    ko: '연산마다 노드 하나(이름, 출력 모양, 단계), 입력은 잎 노드이다. 노드 위에 마우스를 올리면 역전파 규칙이 보인다.',
  },
  sweep: { en: 'Finite-difference error against step size', ko: '스텝 크기에 따른 유한 차분 오차' },
  sweepNote: {
    en: 'Large steps suffer truncation error, small ones round-off: on log-log axes the error draws a V whose bottom is the best step.',
    ko: '스텝이 크면 절단 오차가, 작으면 반올림 오차가 커진다. 로그-로그 축에서 오차는 V자를 그리고, 그 바닥이 가장 좋은 스텝이다.',
  },
  sweepAxisX: { en: 'relative step h', ko: '상대 스텝 h' },
  sweepAxisY: { en: 'largest absolute error', ko: '최대 절대 오차' },
  summary: { en: 'Summary', ko: '요약' },
  summaryAll: {
    en: 'stages explained; largest relative difference between the three gradients',
    ko: '개 단계 설명 완료; 세 기울기 사이의 최대 상대 차이',
  },
  tolerance: term('tolerance'),
  withinTolerance: { en: 'at most the tolerance stated at the top', ko: '맨 위에 적은 허용 오차 이하' },
  beyondTolerance: { en: 'above the tolerance stated at the top', ko: '맨 위에 적은 허용 오차 초과' },
  link: { en: 'Link', ko: '링크' },
  localRule: { en: 'Local rule (from the records)', ko: '국소 규칙 (기록에서)' },
  chainChecks: { en: 'The chain as a whole', ko: '사슬 전체 확인' },
  linksExplained: {
    en: 'links explained; largest relative difference of any link or chain check',
    ko: '개 링크 설명 완료; 링크와 사슬 확인의 최대 상대 차이',
  },
  seq: { en: 'sequence length T', ko: '시퀀스 길이 T' },
  dModel: { en: 'model width d', ko: '모델 차원 d' },
  heads: { en: 'heads', ko: '헤드 수' },
  seed: { en: 'seed', ko: '시드' },
  wrote: { en: 'wrote', ko: '저장함' },
} as const satisfies Record<string, Record<Lang, string>>;

/** The key of a fixed string. */
export type MessageKey = keyof typeof STRINGS;

/** Every key, for tests and tools. */
export const MESSAGE_KEYS = Object.keys(STRINGS) as MessageKey[];

/**
 * The text of `key` in `lang`.
 *
 * @example
 * message('ko', 'forward') // '순전파'
 */
export function message(lang: Lang, key: MessageKey): string {
  return STRINGS[key][lang];
}

/**
 * True for a supported `--lang` value.
 *
 * @example
 * isLang('ko') // true
 */
export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}
