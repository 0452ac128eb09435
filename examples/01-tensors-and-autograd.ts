/**
 * Tutorial 1 — tensors and autograd.
 *
 * Run from the repository root:  npx tsx examples/01-tensors-and-autograd.ts
 *
 * 1. Make tensors and look at them.
 * 2. Differentiate an element-wise function and compare with the derivative worked out by hand.
 * 3. Differentiate a matrix product and compare with dA = dC·Bᵀ and dB = Aᵀ·dC.
 * 4. Look at the graph autograd recorded.
 *
 * Every gradient below uses a seeded RANDOM cotangent (the "upstream gradient" dOut): autograd
 * computes vector-Jacobian products, and a random vector catches mistakes an all-ones one hides.
 */
import { add, matmul, mul, scale, transpose } from '@attograd/ops';
import { gradients, randn, rng, tensor, topologicalOrder, type Tensor } from '@attograd/tensor';

/** One labelled line per tensor: `name [shape] = [[...]]`, 6 decimals, easy to read and to parse. */
function show(name: string, t: Tensor): void {
  const json = JSON.stringify(t.toArray(), (_key, value) => (typeof value === 'number' ? Number(value.toFixed(6)) : value));
  console.log(`${name} [${t.shape.join(', ')}] = ${json.replace(/,/g, ', ')}`);
}

function largestDifference(a: Tensor, b: Tensor): number {
  let largest = 0;
  for (let i = 0; i < a.size; i++) largest = Math.max(largest, Math.abs(a.data[i] - b.data[i]));
  return largest;
}

// --- 1. Tensors ---------------------------------------------------------------------------------
console.log('# 1. Tensors');
const random = rng(2024); // seeded: the same numbers on every run and every machine
const a = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);
const bias = tensor([10, 20, 30]);
show('a', a);
show('a + bias (bias broadcast over rows)', add(a, bias));

// --- 2. An element-wise function: y = x ⊙ x + 3x, so dy/dx = 2x + 3 ------------------------------
console.log('\n# 2. Element-wise: y = x ⊙ x + 3x');
const x = randn([2, 3], { rng: random, requiresGrad: true });
const y = add(mul(x, x), scale(x, 3));
const dY = randn(y.shape, { rng: random }); // the upstream gradient
const [dX] = gradients(y, [x], { gradOutput: dY });
const dXByHand = mul(dY, add(scale(x, 2), 3)); // dX = dY ⊙ (2x + 3), the chain rule by hand
show('x', x);
show('dY (random cotangent)', dY);
show('dX autograd', dX);
show('dX by hand = dY ⊙ (2x + 3)', dXByHand);
console.log(`largest difference: ${largestDifference(dX, dXByHand).toExponential(2)}`);

// --- 3. A matrix product: C = A·B -----------------------------------------------------------------
console.log('\n# 3. Matrix product: C = A·B');
const A = randn([2, 3], { rng: random, requiresGrad: true });
const B = randn([3, 2], { rng: random, requiresGrad: true });
const C = matmul(A, B);
const dC = randn(C.shape, { rng: random });
const [dA, dB] = gradients(C, [A, B], { gradOutput: dC });
show('A', A);
show('B', B);
show('dC (random cotangent)', dC);
show('dA autograd', dA);
show('dA by hand = dC·Bᵀ', matmul(dC, transpose(B)));
show('dB autograd', dB);
show('dB by hand = Aᵀ·dC', matmul(transpose(A), dC));

// --- 4. The recorded graph ------------------------------------------------------------------------
console.log('\n# 4. The graph autograd recorded for L = Σ (A·B + A·B) ⊙ c');
const twice = add(matmul(A, B), matmul(A, B));
for (const node of topologicalOrder(twice)) {
  const made = node.gradFn === null ? 'leaf' : `${node.gradFn.op}(${node.gradFn.inputs.map((i) => `[${i.shape.join(', ')}]`).join(', ')})`;
  console.log(`  [${node.shape.join(', ')}] ← ${made}`);
}
const [dATwice] = gradients(twice, [A], { gradOutput: dC });
// A reaches the output along two paths; their gradients add up, so dA doubles.
console.log(`A used twice: dA doubles, largest difference from 2·dA: ${largestDifference(dATwice, scale(dA, 2)).toExponential(2)}`);
