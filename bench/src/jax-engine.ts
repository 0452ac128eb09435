import { attentionInputs, type Engine, randomValues, type Runner, type Work } from './work';

// jax-js ships no type declarations usable from here: its module and arrays are untyped.
// biome-ignore lint/suspicious/noExplicitAny: untyped peer library (jax-js), used only in this benchmark.
type Jax = any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
type JaxArray = any;

/**
 * Loads jax-js on its wasm device. On Node 20 it needs `Float16Array` and `navigator`, which
 * Node 20 lacks, before it is imported.
 */
export async function loadJax(): Promise<Jax> {
  const global = globalThis as Record<string, unknown>;
  global.Float16Array ??= class Float16Array extends Float32Array {};
  global.navigator ??= { hardwareConcurrency: 2, userAgent: 'node' };
  const jax = await import('@jax-js/jax');
  await jax.init();
  jax.defaultDevice('wasm');
  return jax;
}

/**
 * jax-js follows ownership rules: every call consumes its array arguments, so an array used again
 * is passed as `.ref`. Functions below take ownership of their arguments in that style.
 */
function singleHead(np: Jax, x: JaxArray, [wq, wk, wv]: JaxArray[]): JaxArray {
  const d = wq.shape[1];
  const q = np.matmul(x.ref, wq);
  const k = np.matmul(x.ref, wk);
  const v = np.matmul(x, wv);
  const scores = np.matmul(q, np.matrixTranspose(k)).mul(1 / Math.sqrt(d));
  return np.matmul(np.softmax(scores), v);
}

function multiHead(np: Jax, x: JaxArray, [wq, wk, wv, wo]: JaxArray[], heads: number): JaxArray {
  const [T, d] = x.shape;
  const split = (m: JaxArray) => np.transpose(np.reshape(m, [T, heads, d / heads]), [1, 0, 2]);
  const q = split(np.matmul(x.ref, wq));
  const k = split(np.matmul(x.ref, wk));
  const v = split(np.matmul(x, wv));
  const scores = np.matmul(q, np.swapaxes(k, -1, -2)).mul(1 / Math.sqrt(d / heads));
  const z = np.reshape(np.transpose(np.matmul(np.softmax(scores), v), [1, 0, 2]), [T, d]);
  return np.matmul(z, wo);
}

function layerNorm(np: Jax, x: JaxArray, gamma: JaxArray, beta: JaxArray): JaxArray {
  const centered = x.ref.sub(np.mean(x, -1, { keepdims: true }));
  const variance = np.mean(np.square(centered.ref), -1, { keepdims: true });
  return centered
    .mul(np.reciprocal(np.sqrt(variance.add(1e-5))))
    .mul(gamma)
    .add(beta);
}

/** Runs a jitted function on fresh references to the inputs, reads every output, frees them. */
function runner(jax: Jax, dtype: 'float64' | 'float32', inputs: JaxArray[], fn: (...args: JaxArray[]) => unknown): Runner {
  const compiled = jax.jit(fn);
  return {
    dtype,
    run() {
      const out = compiled(...inputs.map((a) => a.ref));
      for (const leaf of jax.tree.leaves(out)) {
        leaf.ref.dataSync();
        leaf.dispose();
      }
    },
    dispose: () => inputs.forEach((a) => a.dispose()),
  };
}

/** jax-js on its wasm device, jitted, in float64 (float32 for the f32 matmul rows). */
export function jaxEngine(jax: Jax): Engine {
  // np plus softmax from jax.nn, so the attention code reads like the formulas.
  const np = { ...jax.numpy, softmax: (x: JaxArray) => jax.nn.softmax(x, -1) };
  return {
    name: 'jax-wasm',
    prepare(work: Work): Runner | null {
      const dtype = work.kind === 'matmul' ? work.dtype : 'float64';
      const array = (values: Float64Array, shape: number[]) =>
        np.array(dtype === 'float64' ? values : Float32Array.from(values)).reshape(shape);
      switch (work.kind) {
        case 'matmul': {
          const a = array(randomValues(work.n * work.n, 3), [work.n, work.n]);
          const b = array(randomValues(work.n * work.n, 4), [work.n, work.n]);
          return runner(jax, dtype, [a, b], (x: JaxArray, y: JaxArray) => np.matmul(x, y));
        }
        case 'softmax': {
          const shape = [work.rows, work.columns];
          const x = array(randomValues(work.rows * work.columns, 5), shape);
          const dy = array(randomValues(work.rows * work.columns, 6), shape);
          const loss = (input: JaxArray, g: JaxArray) => np.sum(np.softmax(input).mul(g));
          const fn = work.backward
            ? jax.grad(loss)
            : (input: JaxArray, g: JaxArray) => {
                g.dispose();
                return np.softmax(input);
              };
          return runner(jax, dtype, [x, dy], fn);
        }
        case 'layerNorm': {
          const shape = [work.rows, work.d];
          const inputs = [array(randomValues(work.rows * work.d, 7), shape), np.ones([work.d], { dtype }), np.zeros([work.d], { dtype })];
          const dy = array(randomValues(work.rows * work.d, 8), shape);
          const loss = (p: JaxArray[], g: JaxArray) => np.sum(layerNorm(np, p[0], p[1], p[2]).mul(g));
          const fn = work.backward
            ? (x: JaxArray, gamma: JaxArray, beta: JaxArray, g: JaxArray) => jax.grad(loss)([x, gamma, beta], g)
            : (x: JaxArray, gamma: JaxArray, beta: JaxArray, g: JaxArray) => {
                g.dispose();
                return layerNorm(np, x, gamma, beta);
              };
          return runner(jax, dtype, [...inputs, dy], fn);
        }
        case 'attention': {
          const { T, d, heads, backward } = work;
          const values = attentionInputs(T, d, heads);
          const x = array(values.x, [T, d]);
          const weights = values.weights.map((w) => array(w, [d, d]));
          const dz = array(values.cotangent, [T, d]);
          const forward = (p: JaxArray[]) => (heads > 1 ? multiHead(np, p[0], p.slice(1), heads) : singleHead(np, p[0], p.slice(1)));
          const loss = (p: JaxArray[], g: JaxArray) => np.sum(forward(p).mul(g));
          const fn = backward
            ? (...args: JaxArray[]) => jax.grad(loss)(args.slice(0, -1), args[args.length - 1])
            : (...args: JaxArray[]) => {
                args[args.length - 1].dispose();
                return forward(args.slice(0, -1));
              };
          return runner(jax, dtype, [x, ...weights, dz], fn);
        }
        case 'gradcheck':
          return null;
      }
    },
  };
}
