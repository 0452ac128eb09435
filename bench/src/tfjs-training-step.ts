/**
 * The training step of `training-step.ts` in TF.js (float32 on the backend that is set, the wasm
 * one in the bench): the same GPT — token + position embeddings, pre-norm blocks with causal
 * 4-head attention (q, k, v and output projections with biases), an exact-GELU MLP of width 4d
 * (tf.erf), a final layer norm, an untied head without bias — cross-entropy, and AdamW
 * (lr 3·10⁻⁴, weight decay 0.1, decoupled as in PyTorch) written with ops; gradients by
 * tf.variableGrads; the token embedding is a one-hot product (gather's gradient has no wasm
 * kernel). Weights are random normal·0.02 (the timing does not depend on their values).
 */
// biome-ignore lint/suspicious/noExplicitAny: TF.js is loaded through require() (untyped here), used only in this benchmark.
type Tf = any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
type TfTensor = any;

export function tfjsTrainingStep(
  tf: Tf,
  { vocab, width, heads, layers, seq, batch }: { vocab: number; width: number; heads: number; layers: number; seq: number; batch: number },
  ids: Int32Array,
  targets: Int32Array,
): { step: () => number; dispose: () => void } {
  let seed = 1;
  const variable = (shape: number[], init: 'normal' | 'zeros' | 'ones') =>
    tf.variable(
      init === 'normal' ? tf.randomNormal(shape, 0, 0.02, 'float32', seed++) : init === 'zeros' ? tf.zeros(shape) : tf.ones(shape),
    );
  const params: Record<string, TfTensor> = {
    tokens: variable([vocab, width], 'normal'),
    positions: variable([seq, width], 'normal'),
    finalGamma: variable([width], 'ones'),
    finalBeta: variable([width], 'zeros'),
    head: variable([width, vocab], 'normal'),
  };
  for (let l = 0; l < layers; l++) {
    for (const [name, shape, init] of [
      ['ln1g', [width], 'ones'],
      ['ln1b', [width], 'zeros'],
      ['ln2g', [width], 'ones'],
      ['ln2b', [width], 'zeros'],
      ['wqkv', [width, 3 * width], 'normal'],
      ['bqkv', [3 * width], 'zeros'],
      ['wo', [width, width], 'normal'],
      ['bo', [width], 'zeros'],
      ['w1', [width, 4 * width], 'normal'],
      ['b1', [4 * width], 'zeros'],
      ['w2', [4 * width, width], 'normal'],
      ['b2', [width], 'zeros'],
    ] as const) {
      params[`${l}.${name}`] = variable([...shape], init);
    }
  }
  const names = Object.keys(params);
  const m = names.map((n) => tf.zerosLike(params[n]));
  const v = names.map((n) => tf.zerosLike(params[n]));
  // The embedding lookup as a one-hot product: gather's gradient (UnsortedSegmentSum) has no wasm kernel.
  const idsT = tf.oneHot(tf.tensor1d(ids, 'int32'), vocab);
  const targetsHot = tf.oneHot(tf.tensor1d(targets, 'int32'), vocab);
  // −∞ above the diagonal (as a large negative number: −∞·0 would give NaN in the add).
  const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([seq, seq]), -1, 0)), -1e9);
  const dh = width / heads;

  const layerNorm = (x: TfTensor, g: TfTensor, b: TfTensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
  };
  const linear = (x2: TfTensor, w: TfTensor, b?: TfTensor) => (b ? tf.add(tf.matMul(x2, w), b) : tf.matMul(x2, w));
  const gelu = (x: TfTensor) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));

  const loss = () => {
    let x = tf.add(tf.reshape(tf.matMul(idsT, params.tokens), [batch, seq, width]), params.positions); // [B, T, d]
    for (let l = 0; l < layers; l++) {
      const p = (name: string) => params[`${l}.${name}`];
      const a = tf.reshape(layerNorm(x, p('ln1g'), p('ln1b')), [batch * seq, width]);
      const qkv = tf.reshape(linear(a, p('wqkv'), p('bqkv')), [batch, seq, 3, heads, dh]);
      const [q, k, vv] = [0, 1, 2].map((i) =>
        tf.transpose(tf.reshape(tf.slice(qkv, [0, 0, i, 0, 0], [batch, seq, 1, heads, dh]), [batch, seq, heads, dh]), [0, 2, 1, 3]),
      );
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), mask);
      const attended = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), vv), [0, 2, 1, 3]), [batch * seq, width]);
      const h = tf.add(x, tf.reshape(linear(attended, p('wo'), p('bo')), [batch, seq, width]));
      const b = tf.reshape(layerNorm(h, p('ln2g'), p('ln2b')), [batch * seq, width]);
      const mlp = linear(gelu(linear(b, p('w1'), p('b1'))), p('w2'), p('b2'));
      x = tf.add(h, tf.reshape(mlp, [batch, seq, width]));
    }
    const logits = tf.matMul(tf.reshape(layerNorm(x, params.finalGamma, params.finalBeta), [batch * seq, width]), params.head);
    return tf.neg(tf.mean(tf.sum(tf.mul(targetsHot, tf.logSoftmax(logits)), -1)));
  };

  const lr = 3e-4,
    beta1 = 0.9,
    beta2 = 0.999,
    eps = 1e-8,
    decay = 0.1;
  let t = 0;
  return {
    step() {
      t++;
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          loss,
          names.map((n) => params[n]),
        );
        const c1 = 1 - beta1 ** t,
          c2 = 1 - beta2 ** t;
        names.forEach((n, i) => {
          const g = grads[params[n].name];
          const m1 = tf.keep(tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1)));
          const v1 = tf.keep(tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
          tf.dispose([m[i], v[i]]);
          m[i] = m1;
          v[i] = v1;
          const update = tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), eps));
          params[n].assign(tf.sub(tf.mul(params[n], 1 - lr * decay), tf.mul(update, lr)));
        });
        return value.dataSync()[0] as number;
      });
    },
    dispose: () => tf.dispose([...names.map((n) => params[n]), ...m, ...v, idsT, targetsHot, mask]),
  };
}
