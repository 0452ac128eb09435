import { attentionWeights, residualLayerNormBackward, type Bilingual, type RegistryEntry, type StageInputs } from '@attograd/attention';
import { matmul, mul, softmax, sub, sum, transpose } from '@attograd/ops';
import { noGrad, Tensor } from '@attograd/tensor';

/**
 * Classic mistakes in hand-derived backward passes, each a wrong `manualBackward` for one
 * registry entry. Putting one in place makes that entry's three-way check fail (and only that
 * entry's): the learner sees where the check catches it.
 */
export interface Mistake {
  key: string;
  /** The registry entry whose backward it breaks. */
  entry: string;
  title: Bilingual<string>;
  /** The wrong formula, in the registry's notation. */
  formula: string;
  manualBackward: RegistryEntry['manualBackward'];
}

const p = (inputs: StageInputs): Tensor => noGrad(() => attentionWeights(inputs.sHat, { mask: inputs.mask }));

export const mistakes: readonly Mistake[] = [
  {
    key: 'transpose',
    entry: 'scores',
    title: { en: 'forgotten transpose in a matmul rule (dK = dS·Q)', ko: '행렬곱 규칙에서 전치를 빠뜨림 (dK = dS·Q)' },
    formula: 'dK = dS·Q  (right: dSᵀ·Q)',
    manualBackward: ({ q, k }, dS) => ({ q: matmul(dS, k), k: matmul(dS, q) }),
  },
  {
    key: 'softmax-ppt',
    entry: 'softmax',
    title: { en: 'forgotten −ppᵀ term of the softmax Jacobian', ko: '소프트맥스 야코비안의 −ppᵀ 항을 빠뜨림' },
    formula: 'dŜ = P ⊙ dP  (right: P ⊙ (dP − rowsum(dP ⊙ P)))',
    manualBackward: (inputs, dP) => ({ sHat: mul(p(inputs), dP) }),
  },
  {
    key: 'sqrt-dk',
    entry: 'scaling',
    title: { en: 'forgotten 1/√d_k in the backward', ko: '역전파에서 1/√d_k를 빠뜨림' },
    formula: 'dS = dŜ  (right: dŜ/√d_k)',
    manualBackward: (_inputs, dSHat) => ({ s: dSHat.clone() }),
  },
  {
    key: 'layernorm-mean',
    entry: 'residualLayerNorm',
    title: { en: 'layer norm without the mean terms', ko: '평균 항이 없는 층 정규화' },
    formula: 'dH = rstd ⊙ dN  (right: rstd ⊙ (dN − mean(dN) − N ⊙ mean(dN ⊙ N)))',
    manualBackward: ({ x, z, gamma, beta }, dY) => {
      const right = residualLayerNormBackward(x, z, { gamma, beta }, 1e-5, dY);
      const d = x.shape[x.rank - 1];
      const dH = new Float64Array(x.size);
      for (let row = 0; row < x.size / d; row++) {
        let mean = 0;
        for (let c = 0; c < d; c++) mean += x.data[row * d + c] + z.data[row * d + c];
        mean /= d;
        let variance = 0;
        for (let c = 0; c < d; c++) variance += (x.data[row * d + c] + z.data[row * d + c] - mean) ** 2;
        const rstd = 1 / Math.sqrt(variance / d + 1e-5);
        for (let c = 0; c < d; c++) dH[row * d + c] = rstd * dY.data[row * d + c] * gamma.data[c];
      }
      const wrong = new Tensor(dH, x.shape).to(x.dtype);
      return { x: wrong, z: wrong.clone(), gamma: right.gamma, beta: right.beta };
    },
  },
  {
    key: 'mask-after-softmax',
    entry: 'softmax',
    title: { en: 'causal mask applied after the softmax (needs a mask)', ko: '소프트맥스 뒤에 인과 마스크를 적용함 (마스크 필요)' },
    formula: 'P̃ = softmax(Ŝ) unmasked, dŜ = P̃ ⊙ (m ⊙ dP − rowsum(m ⊙ dP ⊙ P̃))',
    manualBackward: ({ sHat, mask }, dP) =>
      noGrad(() => {
        const unmasked = softmax(sHat, -1);
        const masked = mask === undefined ? dP : mul(dP, mask);
        return { sHat: mul(unmasked, sub(masked, sum(mul(masked, unmasked), -1, true))) };
      }),
  },
  {
    key: 'transpose-v',
    entry: 'weightedSum',
    title: { en: 'forgotten transpose in dV (dV = P·dZ)', ko: 'dV에서 전치를 빠뜨림 (dV = P·dZ)' },
    formula: 'dV = P·dZ  (right: Pᵀ·dZ)',
    manualBackward: ({ p: weights, v }, dZ) => ({ p: matmul(dZ, transpose(v)), v: matmul(weights, dZ) }),
  },
];

/** The mistake `key` if it breaks `entryKey`, else undefined. */
export function mistakeFor(entryKey: string, key: string | null): Mistake | undefined {
  if (key === null) return undefined;
  return mistakes.find((m) => m.key === key && m.entry === entryKey);
}
