import { createRequire } from 'node:module';
import path from 'node:path';
import { attentionInputs, type Engine, randomValues, type Runner, type Work } from './work';

// TF.js through CommonJS: its ESM build has broken gradient imports.
const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: TF.js is loaded through require() (untyped here), used only in this benchmark.
type Tf = any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
type TfTensor = any;

/** Loads TF.js with its cpu and wasm backends ready (the wasm binaries are read from disk). */
export async function loadTfjs(): Promise<Tf> {
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${dist}${path.sep}`);
  // Silence the "install tfjs-node" banner and the per-backend logs.
  const log = console.log;
  console.log = () => {};
  try {
    for (const backend of ['wasm', 'cpu']) await tf.setBackend(backend);
  } finally {
    console.log = log;
  }
  return tf;
}

function singleHead(tf: Tf, x: TfTensor, [wq, wk, wv]: TfTensor[]): TfTensor {
  const d = wq.shape[1];
  const q = tf.matMul(x, wq);
  const k = tf.matMul(x, wk);
  const v = tf.matMul(x, wv);
  return tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d))), v);
}

function multiHead(tf: Tf, x: TfTensor, [wq, wk, wv, wo]: TfTensor[], heads: number): TfTensor {
  const [T, d] = x.shape;
  const split = (m: TfTensor) => tf.transpose(tf.reshape(m, [T, heads, d / heads]), [1, 0, 2]);
  const q = split(tf.matMul(x, wq));
  const k = split(tf.matMul(x, wk));
  const v = split(tf.matMul(x, wv));
  const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d / heads)));
  return tf.matMul(tf.reshape(tf.transpose(tf.matMul(p, v), [1, 0, 2]), [T, d]), wo);
}

function layerNorm(tf: Tf, x: TfTensor, gamma: TfTensor, beta: TfTensor): TfTensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/** Reads every result back (TF.js may defer work until data is read), inside tf.tidy. */
function runner(tf: Tf, kept: TfTensor[], compute: () => TfTensor | TfTensor[]): Runner {
  return {
    dtype: 'float32',
    run() {
      tf.tidy(() => {
        const out = compute();
        for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
      });
    },
    dispose: () => tf.dispose(kept),
  };
}

/** TF.js on one backend ('cpu' or 'wasm'): float32 only. */
export function tfjsEngine(tf: Tf, backend: 'cpu' | 'wasm'): Engine {
  return {
    name: `tfjs-${backend}`,
    prepare(work: Work): Runner | null {
      // Synchronous once the backend is initialised; each runner is timed right after it is
      // prepared, so the backend stays set while it runs (and setBackend stays out of the timing).
      tf.setBackend(backend);
      const t = (values: Float64Array, shape: number[]) => tf.tensor(Float32Array.from(values), shape, 'float32');
      switch (work.kind) {
        case 'matmul': {
          // No float64 in TF.js: the f64 rows compare with its float32 product.
          const a = t(randomValues(work.n * work.n, 3), [work.n, work.n]);
          const b = t(randomValues(work.n * work.n, 4), [work.n, work.n]);
          return runner(tf, [a, b], () => tf.matMul(a, b));
        }
        case 'softmax': {
          const shape = [work.rows, work.columns];
          const x = t(randomValues(work.rows * work.columns, 5), shape);
          const dy = t(randomValues(work.rows * work.columns, 6), shape);
          const grad = tf.grad((input: TfTensor) => tf.softmax(input));
          return runner(tf, [x, dy], () => (work.backward ? grad(x, dy) : tf.softmax(x)));
        }
        case 'layerNorm': {
          const shape = [work.rows, work.d];
          const x = t(randomValues(work.rows * work.d, 7), shape);
          const gamma = tf.ones([work.d]);
          const beta = tf.zeros([work.d]);
          const dy = t(randomValues(work.rows * work.d, 8), shape);
          const grads = tf.grads((a: TfTensor, g: TfTensor, b: TfTensor) => layerNorm(tf, a, g, b));
          return runner(tf, [x, gamma, beta, dy], () => (work.backward ? grads([x, gamma, beta], dy) : layerNorm(tf, x, gamma, beta)));
        }
        case 'attention': {
          const { T, d, heads, backward } = work;
          const values = attentionInputs(T, d, heads);
          const x = t(values.x, [T, d]);
          const weights = values.weights.map((w) => t(w, [d, d]));
          const dz = t(values.cotangent, [T, d]);
          const forward = (input: TfTensor, ...ws: TfTensor[]) => (heads > 1 ? multiHead(tf, input, ws, heads) : singleHead(tf, input, ws));
          const grads = tf.grads(forward);
          return runner(tf, [x, ...weights, dz], () => (backward ? grads([x, ...weights], dz) : forward(x, ...weights)));
        }
        case 'gradcheck':
          return null;
      }
    },
  };
}
