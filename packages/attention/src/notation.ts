import type { Bilingual } from './registry-types';

/**
 * One notation for every text attograd shows (the stage and op records, `attograd explain`, the
 * docs): each symbol has one meaning. `explain` prints this list once at the top, and
 * docs/derivations.md carries the same table (a test compares the two).
 */

/** A group of symbols and what they mean, in English and Korean. */
export interface NotationEntry extends Bilingual<string> {
  /** The symbols as they are printed, e.g. `['⊙']` or `['Q', 'K', 'V']`. */
  readonly symbols: readonly string[];
}

/** One concept and the one term each language uses for it. */
export interface GlossaryEntry extends Bilingual<string> {
  /** Korean words that must not be used for this concept (another word is chosen). */
  readonly avoid?: readonly string[];
}

/** A convention attograd follows where mathematics or other libraries leave a choice. */
export interface Convention extends Bilingual<string> {
  /** A stable identifier. */
  readonly key: string;
}

/**
 * The notation, in the order `explain` prints it.
 *
 * @example
 * for (const entry of notation) console.log(entry.symbols.join(', '), '—', entry.en);
 */
export const notation: readonly NotationEntry[] = Object.freeze([
  {
    symbols: ['·'],
    en: 'A·B: the matrix product (over the last two axes; leading axes are batch or head axes). Only the matrix product.',
    ko: 'A·B: 행렬곱 (마지막 두 축에 대해; 앞쪽 축은 배치나 헤드 축). 행렬곱에만 쓴다.',
  },
  {
    symbols: ['⊙'],
    en: 'A ⊙ B: the element-wise product, shapes broadcast (rstd ⊙ (…) multiplies each row by its own rstd). Numbers multiply side by side: c X, rstd² N_j.',
    ko: 'A ⊙ B: 원소별 곱, 모양은 브로드캐스트된다 (rstd ⊙ (…)는 각 행에 그 행의 rstd를 곱한다). 수끼리 또는 수와 텐서의 곱은 나란히 쓴다: c X, rstd² N_j.',
  },
  { symbols: ['ᵀ'], en: 'Aᵀ: A with its last two axes swapped.', ko: 'Aᵀ: 마지막 두 축을 맞바꾼 A.' },
  {
    symbols: ['d', 'd('],
    en: 'dA: ∂L/∂A, the gradient of the loss L with respect to A, shaped like A (dOut for the output of a stage or op). d alone is the model width.',
    ko: 'dA: ∂L/∂A, 손실 L의 A에 대한 기울기로 A와 모양이 같다 (단계나 연산의 출력이면 dOut). d 하나만 쓰면 모델 차원이다.',
  },
  {
    symbols: [
      '∂',
      'δ_ij',
      'δ_kj',
      'Σ_i',
      'Σ_j',
      'Σ_k',
      'Σ_l',
      'Σ_p',
      'Σ_c',
      'Σ',
      '√',
      '∞',
      '⟨',
      '⟩',
      'I',
      'e',
      'exp(',
      'ln',
      'max',
      'diag(',
    ],
    en: '∂: partial derivative; δ_ij = 1 if i = j, else 0; Σ_i: sum over i; ⟨A, B⟩ = Σ A ⊙ B over all elements; I: the identity matrix; diag(p): the diagonal matrix with p on its diagonal; e, exp, ln, √, max, −∞ as usual.',
    ko: '∂: 편미분; δ_ij는 i = j이면 1, 아니면 0; Σ_i: i에 대한 합; ⟨A, B⟩ = 모든 원소에 대한 Σ A ⊙ B; I: 단위 행렬; diag(p): 대각선에 p를 놓은 대각 행렬; e, exp, ln, √, max, −∞는 보통의 뜻.',
  },
  {
    symbols: ['rowsum(', 'rowmean(', 'colsum(', 'Σ_batch'],
    en: 'rowsum(A), rowmean(A): sum, mean along the last axis, kept as a column: [..., T, 1]. colsum(A): sum over every axis but the last: [d]. Σ_batch: sum over the leading (batch) axes.',
    ko: 'rowsum(A), rowmean(A): 마지막 축을 따라 더한 값, 평균; 열 하나로 남긴다: [..., T, 1]. colsum(A): 마지막 축을 뺀 모든 축을 따라 더한 값: [d]. Σ_batch: 앞쪽(배치) 축들에 대한 합.',
  },
  {
    symbols: ['T', 'd', 'd_k', 'd_v', 'd_out', 'n_h', 'h', 'i', 'j', 'l', 'c', 'p', 'k'],
    en: 'T: sequence length; d: model width; d_k: width of a query and a key; d_v: width of a value; d_out: width of the output of W_o; n_h: number of heads, h = 0 … n_h − 1 a head; i, j, l: token (row, column) indices; c, p, k: indices along a width.',
    ko: 'T: 시퀀스 길이; d: 모델 차원; d_k: 쿼리와 키의 폭; d_v: 밸류의 폭; d_out: W_o 출력의 폭; n_h: 헤드 수, h = 0 … n_h − 1은 헤드 번호; i, j, l: 토큰(행, 열) 번호; c, p, k: 폭 방향의 번호.',
  },
  {
    symbols: ['X', 'W', 'W_q', 'W_k', 'W_v', 'W_o', 'Q', 'K', 'V', 'q', 'k', 'q_c', 'k_c', 'μ_q', 'μ_k'],
    en: 'X: the tokens [..., T, d]; W (W_q, W_k, W_v, W_o): learned matrices, stored [in, out] and applied as X·W (PyTorch’s nn.Linear stores [out, in] and computes X·weightᵀ, so W = weightᵀ); Q, K, V = X·W_q, X·W_k, X·W_v. q, k: one query and one key vector, q_c, k_c their components, μ_q, μ_k their means.',
    ko: 'X: 토큰들 [..., T, d]; W (W_q, W_k, W_v, W_o): 학습되는 행렬로 [입력, 출력] 모양으로 저장하고 X·W로 적용한다 (PyTorch의 nn.Linear는 [출력, 입력]으로 저장하고 X·weightᵀ를 계산하므로 W = weightᵀ); Q, K, V = X·W_q, X·W_k, X·W_v. q, k: 쿼리 벡터 하나와 키 벡터 하나, q_c, k_c는 그 성분, μ_q, μ_k는 성분의 평균.',
  },
  {
    symbols: [
      'Q_h',
      'K_h',
      'V_h',
      'S_h',
      'Ŝ_h',
      'P_h',
      'Z_h',
      'Q_heads',
      'K_heads',
      'V_heads',
      'Z_heads',
      'split_h',
      'concat_h',
      'split_h(',
      'concat_h(',
      'permute(',
      'reshape(',
      'shape(',
      'dOut',
      'out',
    ],
    en: 'Q_h, K_h, V_h, S_h, Ŝ_h, P_h, Z_h: the matrices of head h ([..., T, d_k]: columns h d_k … (h+1) d_k − 1); Q_heads, K_heads, V_heads, Z_heads: all heads stacked on a head axis, [..., n_h, T, d_k]; split_h and concat_h move columns to the head axis and back (by reshape and permute: reshape(X, shape) reads X in a new shape of the same size, shape(X) is the shape of X, permute(X, dims) reorders the axes); out = concat_h(Z_h)·W_o, which attograd explain calls Z (stage 6).',
    ko: 'Q_h, K_h, V_h, S_h, Ŝ_h, P_h, Z_h: 헤드 h의 행렬 ([..., T, d_k]: 열 h d_k … (h+1) d_k − 1); Q_heads, K_heads, V_heads, Z_heads: 모든 헤드를 헤드 축에 쌓은 것, [..., n_h, T, d_k]; split_h와 concat_h는 열을 헤드 축으로 옮기고 되돌린다 (reshape와 permute로: reshape(X, shape)는 X를 크기가 같은 새 모양으로 읽고, shape(X)는 X의 모양, permute(X, dims)는 축의 순서를 바꾼다); out = concat_h(Z_h)·W_o이며 attograd explain은 이것을 Z라고 부른다 (6단계).',
  },
  {
    symbols: ['S', 'Ŝ', 'M', 'P', 'Z', 'softmax_row(', 'where('],
    en: 'S = Q·Kᵀ: scores; Ŝ = S/√d_k; M: the mask, M_ij ≠ 0 means query i may attend to key j (the causal mask: M_ij = 1 for j ≤ i); where(M, A, B) takes A where M ≠ 0, else B; softmax_row: softmax of each row; P: attention weights; Z = P·V.',
    ko: 'S = Q·Kᵀ: 점수; Ŝ = S/√d_k; M: 마스크, M_ij ≠ 0은 쿼리 i가 키 j를 볼 수 있다는 뜻 (인과 마스크는 j ≤ i일 때 M_ij = 1); where(M, A, B)는 M ≠ 0인 곳에서 A를, 아니면 B를 고른다; softmax_row: 행마다 소프트맥스; P: 어텐션 가중치; Z = P·V.',
  },
  {
    symbols: ['A_i', 'P_i', 'Ŝ_i', 'dP_i', 'dŜ_i', 'J'],
    en: 'A_i: row i of A. Vectors are columns: in p pᵀ and J = diag(p) − p pᵀ, p is a row of P written as a column vector. Rows and columns are counted from 0.',
    ko: 'A_i: A의 i번째 행. 벡터는 열벡터이다: p pᵀ와 J = diag(p) − p pᵀ에서 p는 P의 한 행을 열벡터로 쓴 것이다. 행과 열 번호는 0부터 센다.',
  },
  {
    symbols: ['H', 'N', 'μ', 'var', 'rstd', 'ε', 'γ', 'β', 'Y', 'LayerNorm('],
    en: 'H = X + Z (the residual sum); μ, var: mean and biased variance of a row of H; rstd = 1/√(var + ε), ε = 1e-5; N = (H − μ) ⊙ rstd; Y = γ ⊙ N + β with γ, β: [d].',
    ko: 'H = X + Z (잔차 합); μ, var: H의 한 행의 평균과 편향 분산; rstd = 1/√(var + ε), ε = 1e-5; N = (H − μ) ⊙ rstd; Y = γ ⊙ N + β, γ, β: [d].',
  },
  {
    symbols: ['X_qkv', 'X_res'],
    en: 'dX_qkv: the part of dX that flows through Q, K and V (stage 0); dX_res = dH: the part through the residual (stage 5). The block’s dX = dX_qkv + dX_res.',
    ko: 'dX_qkv: Q, K, V를 거쳐 오는 dX의 몫 (0단계); dX_res = dH: 잔차를 거쳐 오는 몫 (5단계). 블록 전체의 dX = dX_qkv + dX_res.',
  },
  {
    symbols: ['L', 'G'],
    en: 'L = ⟨Y, G⟩ = Σ Y ⊙ G: the loss of the example, with G a seeded random tensor shaped like Y (the cotangent); so dY = G.',
    ko: 'L = ⟨Y, G⟩ = Σ Y ⊙ G: 예제의 손실; G는 시드를 고정한 무작위 텐서로 Y와 모양이 같다 (코탄젠트). 그래서 dY = G.',
  },
  {
    symbols: [
      'A',
      'B',
      'C',
      'a',
      'b',
      'x',
      'y',
      'm',
      'n',
      'N_i',
      'N_j',
      'x_i',
      'x_j',
      'x_k',
      'y_i',
      'y_j',
      'X_i',
      'X_j',
      'Y_i',
      'A_ip',
      'B_pj',
      'C_ij',
      'O_before',
      'O_after',
    ],
    en: 'A, B, C, X, Y, x, y, m, n, … inside an op’s derivation: the op’s own names (a, b, x: its inputs); under each op, explain says which tensors of the stage they stand for. Index subscripts pick elements: C_ij is row i, column j of C; x_k is element k of x.',
    ko: '연산의 유도 안에서 A, B, C, X, Y, x, y, m, n 등은 그 연산 자신의 이름이다 (a, b, x: 입력); explain은 연산마다 이 이름이 단계의 어느 텐서를 가리키는지 밝힌다. 번호 아래 첨자는 원소를 고른다: C_ij는 C의 i행 j열, x_k는 x의 k번째 원소.',
  },
]);

/**
 * One term per concept, English ↔ Korean. `avoid` lists the Korean synonyms that are not used.
 *
 * @example
 * glossary.find((g) => g.en === 'gradient')!.ko // '기울기'
 */
export const glossary: readonly GlossaryEntry[] = Object.freeze([
  { en: 'gradient', ko: '기울기', avoid: ['그래디언트'] },
  { en: 'upstream gradient (dOut)', ko: '위에서 들어오는 기울기 (dOut)' },
  { en: 'cotangent (G)', ko: '코탄젠트 (G)' },
  { en: 'derivative', ko: '도함수' },
  { en: 'partial derivative', ko: '편미분' },
  { en: 'subgradient', ko: '하방기울기' },
  { en: 'chain rule', ko: '연쇄 법칙' },
  { en: 'product rule', ko: '곱의 미분법' },
  { en: 'quotient rule', ko: '몫의 미분법' },
  { en: 'Jacobian', ko: '야코비안' },
  { en: 'vector-Jacobian product', ko: '벡터-야코비안 곱' },
  { en: 'adjoint', ko: '수반' },
  { en: 'transpose', ko: '전치' },
  { en: 'forward pass', ko: '순전파' },
  { en: 'backward pass', ko: '역전파' },
  { en: 'autograd (automatic differentiation)', ko: '자동 미분' },
  { en: 'finite differences', ko: '유한 차분' },
  { en: 'hand-derived', ko: '손으로 유도한' },
  { en: 'absolute difference', ko: '절대 차이' },
  { en: 'relative difference', ko: '상대 차이' },
  { en: 'tolerance', ko: '허용 오차' },
  { en: 'convention', ko: '규약' },
  { en: 'broadcast', ko: '브로드캐스트' },
  { en: 'query / key / value', ko: '쿼리 / 키 / 밸류' },
  { en: 'projection', ko: '투영' },
  { en: 'score', ko: '점수' },
  { en: 'scaling', ko: '스케일링' },
  { en: 'attention weights', ko: '어텐션 가중치' },
  { en: 'weighted sum', ko: '가중합' },
  { en: 'mask', ko: '마스크' },
  { en: 'causal mask', ko: '인과 마스크', avoid: ['causal일', 'causal 마스크'] },
  { en: 'fully masked row', ko: '완전히 가려진 행' },
  { en: 'head (multi-head attention)', ko: '헤드 (멀티헤드 어텐션)' },
  { en: 'output projection (W_o)', ko: '출력 투영 (W_o)' },
  { en: 'residual connection', ko: '잔차 연결' },
  { en: 'layer normalization', ko: '레이어 정규화' },
  { en: 'biased variance', ko: '편향 분산' },
  { en: 'row / column', ko: '행 / 열' },
  { en: 'batch', ko: '배치' },
  { en: 'shape', ko: '모양' },
]);

/**
 * The conventions, in one place: where attograd chooses among several defensible answers.
 *
 * @example
 * conventions.map((c) => c.key) // ['maskPolarity', 'fullyMaskedRow', …]
 */
export const conventions: readonly Convention[] = Object.freeze([
  {
    key: 'maskPolarity',
    en: 'Mask polarity: in attention (stage 3, selfAttention, multiHeadAttention) M ≠ 0 means "may attend", as PyTorch’s boolean attn_mask; in the op maskedFill, mask ≠ 0 means "replace" (hide). Every text that shows a mask says which.',
    ko: '마스크 극성: 어텐션(3단계, selfAttention, multiHeadAttention)에서 M ≠ 0은 PyTorch의 불리언 attn_mask처럼 "볼 수 있음"이다; 연산 maskedFill에서 mask ≠ 0은 "값을 바꿈"(가림)이다. 마스크가 나오는 모든 글은 어느 쪽인지 밝힌다.',
  },
  {
    key: 'fullyMaskedRow',
    en: 'Fully masked rows: softmax of a row that is −∞ everywhere is 0/0. attograd’s convention returns the row P_i = 0 with dŜ_i = 0 (PyTorch’s F.softmax returns NaN). Then Z_i = 0, and the row contributes nothing to dV, dQ or dK.',
    ko: '완전히 가려진 행: 모든 원소가 −∞인 행의 소프트맥스는 0/0이다. attograd는 규약으로 P_i = 0, dŜ_i = 0을 돌려준다 (PyTorch의 F.softmax는 NaN을 돌려준다). 그러면 Z_i = 0이고, 그 행은 dV, dQ, dK에 아무것도 보태지 않는다.',
  },
  {
    key: 'maxTies',
    en: 'Ties in max: max is not differentiable at a tie; attograd shares dY evenly among the tied positions (as torch.amax). This is one choice of subgradient, not the derivative.',
    ko: 'max의 동점: 동점에서 max는 미분 가능하지 않다. attograd는 torch.amax처럼 dY를 동점 위치에 똑같이 나눈다. 이는 하방기울기 가운데 하나를 고른 것이지 도함수가 아니다.',
  },
  {
    key: 'layout',
    en: 'Layout: row-major, one token per row, weights applied as X·W with W: [in, out]. PyTorch’s nn.Linear stores weight: [out, in] and computes X·weightᵀ, so W = weightᵀ.',
    ko: '배치 방식: 행 우선, 토큰 하나가 한 행이며 가중치는 W: [입력, 출력]으로 X·W처럼 적용한다. PyTorch의 nn.Linear는 weight를 [출력, 입력]으로 저장하고 X·weightᵀ를 계산하므로 W = weightᵀ이다.',
  },
  {
    key: 'layerNormEps',
    en: 'Layer norm with ε > 0: each row of N has mean exactly 0 but variance var/(var + ε); "variance 1" and "does not respond to a rescaling" hold exactly only when ε = 0.',
    ko: 'ε > 0인 레이어 정규화: N의 각 행의 평균은 정확히 0이지만 분산은 var/(var + ε)이다. "분산 1"과 "배율 변화에 반응하지 않음"은 ε = 0일 때만 정확히 성립한다.',
  },
]);
