import type { Lang } from '../state';

/** The page's own words (the stage texts come from the registry, in both languages). */
const WORDS = {
  title: {
    en: 'attograd explore: where each gradient of self-attention comes from',
    ko: 'attograd explore: 셀프 어텐션의 각 기울기가 어디서 오는가',
  },
  setup: { en: 'Problem', ko: '문제 설정' },
  seq: { en: 'sequence length T', ko: '시퀀스 길이 T' },
  dmodel: { en: 'model width d', ko: '모델 폭 d' },
  heads: { en: 'heads', ko: '헤드 수' },
  seed: { en: 'seed', ko: '시드' },
  causal: { en: 'causal mask', ko: '인과 마스크' },
  precision: { en: 'precision', ko: '정밀도' },
  lang: { en: 'language', ko: '언어' },
  mask: { en: 'Mask (click a cell: 1 = may attend)', ko: '마스크 (칸을 누르면 바뀜: 1 = 볼 수 있음)' },
  clearMask: { en: 'no explicit mask', ko: '직접 지정한 마스크 없음' },
  stages: { en: 'Stages and composites', ko: '단계와 합성' },
  what: { en: 'What', ko: '무엇을' },
  why: { en: 'Why', ko: '왜' },
  result: { en: 'What comes out', ko: '결과' },
  forward: { en: 'Forward', ko: '순전파' },
  backward: { en: 'Backward (hand-derived)', ko: '역전파 (손으로 유도)' },
  derivations: { en: 'Derivations of the ops it uses', ko: '사용하는 연산의 유도' },
  shapes: { en: 'Shapes', ko: '모양' },
  values: { en: 'Forward values', ko: '순전파 값' },
  gradients: { en: 'Gradients (hand-derived; hover or focus a cell)', ko: '기울기 (손으로 유도; 칸에 마우스를 올리거나 포커스)' },
  upstream: { en: 'upstream gradient', ko: '위에서 오는 기울기' },
  verdict: { en: 'Check', ko: '검사' },
  pass: { en: 'pass', ko: '통과' },
  fail: { en: 'FAIL', ko: '실패' },
  pending: { en: 'checking…', ko: '검사 중…' },
  worst: { en: 'worst element', ko: '가장 나쁜 원소' },
  relative: { en: 'relative difference (norm-wise, largest pair)', ko: '상대 차이 (노름 기준, 가장 큰 쌍)' },
  threeWay: { en: 'One gradient cell, three ways', ko: '기울기 한 칸, 세 가지 방법' },
  askHint: { en: 'Hover or focus a gradient cell.', ko: '기울기 칸에 마우스를 올리거나 포커스하세요.' },
  hand: { en: 'hand-derived', ko: '손으로 유도' },
  autograd: { en: 'autograd', ko: '자동 미분' },
  numeric: { en: 'finite differences', ko: '유한 차분' },
  terms: {
    en: 'Terms of its chain-rule sum Σ_j dOut_j·∂out_j/∂in (largest first; ∂ by central differences)',
    ko: '연쇄 법칙 합의 항 Σ_j dOut_j·∂out_j/∂in (큰 순서; ∂는 중심 차분)',
  },
  breakIt: { en: 'Break a gradient', ko: '기울기 망가뜨리기' },
  noMistake: { en: 'no mistake (all correct)', ko: '실수 없음 (모두 올바름)' },
  nudge: { en: 'Nudge an input', ko: '입력 살짝 밀기' },
  element: { en: 'element of X (row, column)', ko: 'X의 원소 (행, 열)' },
  delta: { en: 'perturbation δ', ko: '섭동 δ' },
  trueChange: { en: 'true change of the loss L(x+δ) − L(x)', ko: '손실의 실제 변화 L(x+δ) − L(x)' },
  predicted: { en: 'gradient prediction ⟨∇L, δ⟩', ko: '기울기 예측 ⟨∇L, δ⟩' },
  // The same notation as \`attograd explain\`: G is the seeded random tensor, and dY = G.
  loss: {
    en: 'loss L = ⟨Y, G⟩ with G a seeded random tensor (so dY = G)',
    ko: '손실 L = ⟨Y, G⟩ (G는 시드를 고정한 무작위 텐서, 그래서 dY = G)',
  },
  sweep: { en: 'Step-size sweep of the finite difference (error against autograd)', ko: '유한 차분의 간격 훑기 (자동 미분과의 오차)' },
  train: { en: 'Train a tiny attention model (Web Worker)', ko: '작은 어텐션 모델 학습 (웹 워커)' },
  trainTask: {
    en: 'Task: each position should output the previous token’s vector (causal, plain SGD, MSE).',
    ko: '과제: 각 위치가 바로 앞 토큰의 벡터를 내도록 (인과, 단순 SGD, MSE).',
  },
  start: { en: 'start', ko: '시작' },
  pause: { en: 'pause', ko: '일시 정지' },
  step: { en: 'one step', ko: '한 걸음' },
  reset: { en: 'reset', ko: '처음으로' },
  experiments: { en: 'Test the textbook’s claims', ko: '교과서의 주장을 실험으로' },
  runExperiments: { en: 'run the experiments', ko: '실험 실행' },
  legend: { en: 'colour scale', ko: '색 눈금' },
  share: { en: 'link to this view', ko: '이 화면의 링크' },
} as const;

export type Word = keyof typeof WORDS;

export function t(lang: Lang, word: Word): string {
  return WORDS[word][lang];
}
