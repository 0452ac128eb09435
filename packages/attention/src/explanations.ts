import type { Bilingual, Explanation } from './registry-types';

/**
 * What each stage does, why, and what comes out, in English and Korean. The structure follows the
 * seed document (../shared/seed/self-attention-stages.ko.md); the wording is attograd's own and
 * also names the gradient each stage passes back.
 */

interface Text {
  title: Bilingual<string>;
  explanation: Bilingual<Explanation>;
}

export const projectionText: Text = {
  title: { en: 'Projection (Q, K, V)', ko: '투영 (Q, K, V)' },
  explanation: {
    en: {
      what: 'Multiplies the token matrix X by three learned matrices W_q, W_k and W_v, giving every token a query, a key and a value vector. One matrix product per role projects all tokens at once.',
      why: 'A single vector per token would have to do three jobs at the same time: say what the token is looking for, advertise what it offers, and carry what it hands on. Separate projections let the model learn each role on its own, so that matching (queries against keys) and content (values) can specialise.',
      result:
        'Q and K of shape [..., T, d_k] and V of shape [..., T, d_v], the raw material of every later stage. On the way back, gradients reach X along three paths, which is why dX_qkv is a sum of three products.',
    },
    ko: {
      what: '토큰 행렬 X에 학습되는 세 행렬 W_q, W_k, W_v를 곱해 토큰마다 쿼리, 키, 밸류 벡터를 만든다. 역할마다 행렬곱 한 번으로 모든 토큰을 한꺼번에 변환한다.',
      why: "벡터 하나로는 '무엇을 찾는가', '무엇을 내세우는가', '무엇을 넘겨주는가'라는 세 가지 일을 동시에 맡기 어렵다. 투영을 따로 두면 비교에 쓰이는 쿼리, 키와 내용을 담는 밸류가 각자 따로 학습될 수 있다.",
      result:
        '[..., T, d_k] 모양의 Q, K와 [..., T, d_v] 모양의 V가 나오며, 이후 모든 단계가 이것을 재료로 쓴다. 역전파에서는 X로 돌아오는 길이 세 갈래이므로 dX_qkv는 세 곱의 합이 된다.',
    },
  },
};

export const scoresText: Text = {
  title: { en: 'Scores (Q·Kᵀ)', ko: '점수 (Q·Kᵀ)' },
  explanation: {
    en: {
      what: "Takes the dot product of every query with every key, S = Q·Kᵀ. Entry S_ij says how well token i's query matches what token j's key advertises.",
      why: 'A dot product is large when two vectors point the same way, and one matrix product computes it for all pairs. It is bilinear, so its gradients are simple too: one matrix product each (the backward formulas of this stage).',
      result:
        'A T×T score matrix per batch entry (and per head): row i holds one raw, unnormalised score for every token that token i could attend to.',
    },
    ko: {
      what: '모든 쿼리와 모든 키의 내적을 구해 S = Q·Kᵀ를 만든다. S_ij는 토큰 i의 쿼리가 토큰 j의 키가 내세우는 특징과 얼마나 잘 맞는지를 나타낸다.',
      why: '내적은 두 벡터의 방향이 비슷할수록 커지고, 모든 쌍을 행렬곱 한 번으로 계산할 수 있다. 또 쌍선형이어서 기울기도 행렬곱 한 번씩으로 간단하다 (이 단계의 역전파 식).',
      result:
        '배치(와 헤드)마다 T×T 점수 행렬이 생긴다. i번째 행에는 토큰 i가 참고할 수 있는 각 토큰에 대한, 아직 정규화되지 않은 점수가 담긴다.',
    },
  },
};

export const scalingText: Text = {
  title: { en: 'Scaling (÷ √d_k)', ko: '스케일링 (÷ √d_k)' },
  explanation: {
    en: {
      what: 'Divides every score by √d_k, where d_k is the length of the query and key vectors.',
      why: 'Suppose the d_k components of q and k are independent, each with mean 0 and variance 1. Then every product q_c k_c has mean 0 and variance 1, so q·k has mean 0 and variance d_k, and q·k/√d_k has mean 0 and variance 1. Without the division the scores spread out as d_k grows; wide gaps push softmax into saturation, where one weight is near 1, the others near 0, and the gradient almost vanishes. When the assumptions fail the division is only a rough correction: with component means μ_q and μ_k each product has mean μ_q μ_k and variance 1 + μ_q² + μ_k², so q·k/√d_k has mean √d_k μ_q μ_k and variance 1 + μ_q² + μ_k² instead of 0 and 1; and learned q and k are not independent either.',
      result:
        'Ŝ, shaped like S, on a scale that keeps softmax responsive. The backward step is the same division (the backward formula of this stage).',
    },
    ko: {
      what: '모든 점수를 √d_k로 나눈다. d_k는 쿼리와 키 벡터의 길이이다.',
      why: 'q와 k의 d_k개 성분이 서로 독립이고 각각 평균 0, 분산 1이라고 하자. 그러면 곱 q_c k_c는 모두 평균 0, 분산 1이므로 q·k는 평균 0, 분산 d_k이고, q·k/√d_k는 평균 0, 분산 1이다. 나누지 않으면 d_k가 커질수록 점수가 넓게 퍼지고, 점수 차이가 크면 소프트맥스가 포화되어 한 가중치만 1에 가깝고 나머지는 0에 가까워지며 기울기가 거의 사라진다. 가정이 깨지면 이 나눗셈은 대략적인 보정일 뿐이다: 성분의 평균이 μ_q, μ_k이면 각 곱의 평균은 μ_q μ_k, 분산은 1 + μ_q² + μ_k²이므로 q·k/√d_k의 평균은 0 대신 √d_k μ_q μ_k, 분산은 1 대신 1 + μ_q² + μ_k²이다. 게다가 학습된 q와 k는 독립도 아니다.',
      result: 'S와 같은 모양의 Ŝ가 소프트맥스가 민감하게 반응할 수 있는 크기로 전달된다. 역전파도 같은 나눗셈이다 (이 단계의 역전파 식).',
    },
  },
};

export const softmaxText: Text = {
  title: { en: 'Softmax (attention weights)', ko: '소프트맥스 (어텐션 가중치)' },
  explanation: {
    en: {
      what: 'Applies softmax to each row of Ŝ after masking: positions a query may not see (M_ij = 0, where M ≠ 0 means may attend; with the causal mask, the keys after the query) are set to −∞ first. Each row with at least one allowed key becomes non-negative weights that sum to 1.',
      why: 'Softmax turns arbitrary scores into a probability distribution while keeping their order, and it is smooth, so every allowed score receives a gradient. Its Jacobian per row is symmetric (the softmax op’s derivation), which gives the compact backward formula of this stage.',
      result:
        'P, the attention weights: row i says how much token i draws from each token. Masked positions get exactly 0. A row with nothing allowed is 0/0 in exact arithmetic; attograd’s convention makes it all zeros with a zero gradient (PyTorch’s F.softmax gives NaN), so that row of Z is 0 and adds nothing to dV, dQ or dK.',
    },
    ko: {
      what: '마스크를 적용한 뒤 Ŝ의 각 행에 소프트맥스를 적용한다. 쿼리가 볼 수 없는 위치(M_ij = 0인 곳; M ≠ 0은 볼 수 있다는 뜻이며, 인과 마스크에서는 쿼리보다 뒤에 오는 키)는 먼저 −∞로 바뀐다. 허용된 키가 하나라도 있는 행은 합이 1인 음이 아닌 가중치가 된다.',
      why: '소프트맥스는 점수의 순서를 유지하면서 임의의 실수를 확률 분포로 바꾸고, 매끄러운 함수여서 허용된 모든 점수에 기울기가 전달된다. 행마다 야코비안이 대칭이므로 (softmax 연산의 유도), 이 단계의 역전파는 간결한 식이 된다.',
      result:
        '어텐션 가중치 P가 만들어진다. i번째 행은 토큰 i가 각 토큰에서 얼마만큼 정보를 가져올지를 나타낸다. 가려진 위치는 정확히 0이 된다. 허용된 위치가 하나도 없는 행은 정확한 계산으로는 0/0이며, attograd는 규약으로 그 행을 모두 0으로, 기울기도 0으로 둔다 (PyTorch의 F.softmax는 NaN을 낸다). 그러면 Z의 그 행은 0이고 dV, dQ, dK에 아무것도 보태지 않는다.',
    },
  },
};

export const weightedSumText: Text = {
  title: { en: 'Weighted sum (P·V)', ko: '가중합 (P·V)' },
  explanation: {
    en: {
      what: 'Multiplies the attention weights by the values, Z = P·V: each output row is a mixture of the value rows, weighted by one row of P.',
      why: 'This is where information actually moves between tokens; the earlier stages only decided how much to take from where. Because each row of weights sums to 1, the outputs stay on the scale of the values.',
      result:
        'Z of shape [..., T, d_v], a context-aware representation of every token, passed on to the residual connection and layer norm. In multi-head attention (the example of attograd explain) the Z_h of the heads are then concatenated and multiplied by W_o (stage 6).',
    },
    ko: {
      what: '어텐션 가중치에 밸류를 곱해 Z = P·V를 계산한다. 출력의 각 행은 P의 한 행을 가중치로 삼아 밸류 행들을 섞은 것이다.',
      why: '토큰 사이에서 정보가 실제로 옮겨지는 곳이 바로 이 단계이다. 앞 단계들은 어디에서 얼마나 가져올지만 정했다. 가중치 행의 합이 1이므로 출력은 밸류와 비슷한 크기를 유지한다.',
      result:
        '[..., T, d_v] 모양의 Z가 나온다. 각 토큰을 문맥에 맞게 다시 표현한 것으로, 잔차 연결과 레이어 정규화로 넘어간다. 멀티헤드 어텐션(attograd explain의 예제)에서는 그다음 헤드들의 Z_h를 이어 붙여 W_o를 곱한다 (6단계).',
    },
  },
};

export const outputProjectionText: Text = {
  title: { en: 'Head merge and output projection (W_o)', ko: '헤드 합치기와 출력 투영 (W_o)' },
  explanation: {
    en: {
      what: 'Puts the n_h heads side by side again, concat_h(Z_h) of shape [..., T, n_h·d_k] = [..., T, d], and multiplies by one learned matrix: Z = concat_h(Z_h)·W_o.',
      why: 'Each head only sees its own d_k columns; W_o lets every output column mix what all heads found. Without it the heads would stay in separate, fixed column blocks.',
      result:
        'Z of shape [..., T, d_out] (here d_out = d), which the residual connection adds to X. On the way back, W_o’s gradient is a matrix product with concat_h(Z_h), and dOut·W_oᵀ is cut back into the heads (the backward formulas of this stage).',
    },
    ko: {
      what: 'n_h개의 헤드를 다시 나란히 놓아 [..., T, n_h·d_k] = [..., T, d] 모양의 concat_h(Z_h)를 만들고, 학습되는 행렬 하나를 곱한다: Z = concat_h(Z_h)·W_o.',
      why: '헤드마다 자기 d_k열만 본다. W_o가 있어야 출력의 각 열이 모든 헤드가 찾은 것을 섞을 수 있다. W_o가 없으면 헤드들은 서로 떨어진 고정된 열 블록에 머문다.',
      result:
        '[..., T, d_out] 모양의 Z가 나오고 (여기서 d_out = d), 잔차 연결이 이것을 X에 더한다. 역전파에서 W_o의 기울기는 concat_h(Z_h)와의 행렬곱이고, dOut·W_oᵀ를 다시 헤드별로 자른다 (이 단계의 역전파 식).',
    },
  },
};

export const residualLayerNormText: Text = {
  title: { en: 'Residual + layer norm', ko: '잔차 연결 + 레이어 정규화' },
  explanation: {
    en: {
      what: 'Adds the attention output back to the input, H = X + Z, then normalises each row of H to mean 0 and variance var/(var + ε) (exactly 1 only when ε = 0, nearly 1 for ε = 1e-5 unless the row is nearly constant) and applies a learned scale γ and shift β.',
      why: 'The residual path lets the block learn a correction to X rather than a replacement, and gives gradients a direct route back to X (the fourth path into dX). Normalising keeps activations on a steady scale from layer to layer, which makes deep stacks trainable.',
      result:
        "Y of shape [..., T, d], the block's output for the next sublayer. Its backward removes the row mean of dN exactly, and its component along N exactly only when ε = 0 (approximately otherwise): see the backward formula of this stage.",
    },
    ko: {
      what: '어텐션 출력을 입력에 더해 H = X + Z를 만든 뒤, H의 각 행을 평균 0, 분산 var/(var + ε)로 정규화하고 (분산이 정확히 1인 것은 ε = 0일 때뿐이며, ε = 1e-5이면 행이 거의 상수가 아닌 한 1에 가깝다) 학습되는 배율 γ와 이동 β를 적용한다.',
      why: '잔차 경로 덕분에 블록은 X를 통째로 바꾸는 대신 보정값만 배우면 되고, 기울기가 X로 곧장 돌아가는 길(dX로 들어오는 네 번째 경로)이 생긴다. 정규화는 층을 거듭해도 활성값의 크기를 일정하게 유지해 깊은 모델의 학습을 안정시킨다.',
      result:
        '다음 서브레이어로 전달될 [..., T, d] 모양의 출력 Y가 나온다. 역전파는 dN에서 행 평균을 정확히 빼내고, N 방향 성분은 ε = 0일 때만 정확히 (그 밖에는 근사적으로) 빼낸다 (이 단계의 역전파 식).',
    },
  },
};

export const selfAttentionText: Text = {
  title: { en: 'Self-attention (stages 0–4)', ko: '셀프 어텐션 (0–4단계)' },
  explanation: {
    en: {
      what: 'Runs stages 0 to 4 in order — projection, scores, scaling, softmax, weighted sum — computing Z = softmax(Q·Kᵀ/√d_k)·V.',
      why: 'Each stage alone is a simple function; composed, they let every token gather information from the tokens it attends to, with weights computed from the data rather than fixed by position.',
      result: 'Z, one context vector per token. Its gradient with respect to X is the sum of three paths, through Q, K and V.',
    },
    ko: {
      what: '0단계부터 4단계까지, 즉 투영, 점수, 스케일링, 소프트맥스, 가중합을 차례로 실행해 Z = softmax(Q·Kᵀ/√d_k)·V를 계산한다.',
      why: '단계 하나하나는 단순한 함수이지만, 이어 붙이면 각 토큰이 자신이 주목하는 토큰들에게서 정보를 모을 수 있다. 이때 가중치는 위치로 고정된 것이 아니라 데이터에서 계산된다.',
      result: '토큰마다 문맥 벡터 하나가 담긴 Z가 나온다. X에 대한 기울기는 Q, K, V를 지나는 세 경로의 합이다.',
    },
  },
};

export const multiHeadAttentionText: Text = {
  title: { en: 'Multi-head attention', ko: '멀티헤드 어텐션' },
  explanation: {
    en: {
      what: 'Splits the columns of Q, K and V into n_h groups of d_k = d/n_h (head h takes columns h d_k … (h+1) d_k − 1), runs stages 1 to 4 on every group in parallel, concatenates the n_h results and multiplies them by W_o.',
      why: 'One softmax row can express only one way of distributing attention. Several narrower heads can attend to different tokens for different reasons. Since their widths add up to d, the matrix products cost the same number of operations as one head of width d; but each head has its own T×T softmax, so the exponentials and the storage for P grow from T² to n_h T².',
      result:
        'An output of shape [..., T, d_out] that mixes the heads through W_o. It is computed with reshape and permute, and equals a loop of single-head attentions over column slices, which the tests check.',
    },
    ko: {
      what: 'Q, K, V의 열을 d_k = d/n_h개씩 n_h개의 묶음으로 나누고 (헤드 h는 열 h d_k … (h+1) d_k − 1을 맡는다), 각 묶음에 1~4단계를 나란히 적용한 다음, n_h개의 결과를 이어 붙여 W_o를 곱한다.',
      why: '소프트맥스 행 하나는 주의를 나누는 방식 하나만 표현할 수 있다. 폭이 좁은 헤드 여러 개를 쓰면 서로 다른 이유로 서로 다른 토큰을 볼 수 있다. 헤드들의 폭을 합치면 d이므로 행렬곱의 연산량은 폭 d인 헤드 하나와 같다. 하지만 헤드마다 T×T 소프트맥스가 따로 있으므로 지수 함수 계산과 P를 저장할 공간은 T²에서 n_h T²로 늘어난다.',
      result:
        'W_o로 헤드들을 섞은 [..., T, d_out] 모양의 출력이 나온다. reshape와 permute로 계산하지만 열 구간마다 단일 헤드 어텐션을 반복한 결과와 같으며, 테스트가 이를 확인한다.',
    },
  },
};

export const attentionBlockText: Text = {
  title: { en: 'Attention block (stages 0–5)', ko: '어텐션 블록 (0–5단계)' },
  explanation: {
    en: {
      what: 'Runs the whole block, stages 0 to 5: self-attention followed by the residual connection and layer norm, Y = LayerNorm(X + selfAttention(X)).',
      why: 'This is the unit a Transformer layer repeats. Checking its gradient as a whole verifies that all four paths by which X reaches the loss — through Q, K, V and the residual — are accounted for.',
      result:
        'Y, shaped like X, ready for the feed-forward sublayer or the next block, and gradients for X, the three projections, γ and β.',
    },
    ko: {
      what: '0~5단계 전체, 즉 셀프 어텐션 다음에 잔차 연결과 레이어 정규화를 실행해 Y = LayerNorm(X + selfAttention(X))를 계산한다.',
      why: '트랜스포머 층이 반복하는 기본 단위가 이 블록이다. 블록 전체의 기울기를 검사하면 X가 손실에 닿는 네 경로(Q, K, V, 잔차)가 빠짐없이 반영되었는지 확인할 수 있다.',
      result: 'X와 같은 모양의 Y가 나와 피드포워드 서브레이어나 다음 블록으로 전달된다. X, 세 투영 행렬, γ, β에 대한 기울기를 얻는다.',
    },
  },
};
