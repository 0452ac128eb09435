/**
 * Tutorial 2 — the softmax Jacobian.
 *
 * Run from the repository root:  npx tsx examples/02-softmax-jacobian.ts
 *
 * For one row p = softmax(x), ∂p_i/∂x_j = p_i (δ_ij − p_j): the Jacobian is J = diag(p) − p pᵀ.
 * 1. Build J row by row with autograd (one vector-Jacobian product per unit vector eᵢ).
 * 2. Build J by hand from p and compare.
 * 3. Look at its structure: symmetric, every row sums to 0 (shifting x changes nothing).
 * 4. The backward rule never builds J: dx = p ⊙ (dy − Σ_j dy_j p_j) equals J·dy.
 * 5. The classic pitfall: the gradient of Σ softmax(x) is zero whatever backward does.
 */
import { derivations, matmul, mul, reshape, softmax, sub, sum, transpose } from '@attograd/ops';
import { gradients, randn, rng, tensor, zeros, type Tensor } from '@attograd/tensor';

function show(name: string, t: Tensor): void {
  const json = JSON.stringify(t.toArray(), (_key, value) => (typeof value === 'number' ? Number(value.toFixed(6)) : value));
  console.log(`${name} [${t.shape.join(', ')}] = ${json.replace(/,/g, ', ')}`);
}

function largestDifference(a: Tensor, b: Tensor): number {
  let largest = 0;
  for (let i = 0; i < a.size; i++) largest = Math.max(largest, Math.abs(a.data[i] - b.data[i]));
  return largest;
}

const random = rng(7);
const n = 4;
const x = randn([n], { rng: random, requiresGrad: true });
const p = softmax(x);
show('x', x);
show('p = softmax(x)', p);

// --- 1. J by autograd: row i of J is the vector-Jacobian product with the unit vector e_i -------
const rows: number[][] = [];
for (let i = 0; i < n; i++) {
  const unit = zeros([n]);
  unit.data[i] = 1;
  const [row] = gradients(p, [x], { gradOutput: unit, retainGraph: true });
  rows.push(Array.from(row.data));
}
const jacobianAutograd = tensor(rows);
show('J autograd', jacobianAutograd);

// --- 2. J by hand: diag(p) − p pᵀ ------------------------------------------------------------------
const column = reshape(p, [n, 1]);
const diagonal = tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? p.data[i] : 0))));
const jacobianByHand = sub(diagonal, matmul(column, transpose(column)));
show('J by hand = diag(p) − p pᵀ', jacobianByHand);
console.log(`largest difference (autograd vs by hand): ${largestDifference(jacobianAutograd, jacobianByHand).toExponential(2)}`);

// --- 3. Structure ----------------------------------------------------------------------------------
show('row sums of J', sum(jacobianByHand, 1));
console.log(`J is symmetric: largest |J − Jᵀ| = ${largestDifference(jacobianByHand, transpose(jacobianByHand)).toExponential(2)}`);

// --- 4. The backward rule, as the softmax op exports it ---------------------------------------------
console.log(`\nsoftmax backward rule: ${derivations.softmax.backward.x}`);
for (const step of derivations.softmax.steps) console.log(`  · ${step}`);
const dy = randn([n], { rng: random }); // a random upstream gradient
const [dx] = gradients(softmax(x), [x], { gradOutput: dy });
const dxRule = mul(p, sub(dy, sum(mul(dy, p))));
const dxJacobian = reshape(matmul(jacobianByHand, reshape(dy, [n, 1])), [n]);
show('dy (random cotangent)', dy);
show('dx autograd', dx);
show('dx = p ⊙ (dy − Σ dy ⊙ p)', dxRule);
show('dx = J·dy', dxJacobian);
console.log(`largest difference (autograd vs J·dy): ${largestDifference(dx, dxJacobian).toExponential(2)}`);

// --- 5. The pitfall --------------------------------------------------------------------------------
// Σ_i p_i = 1 for every x, so the gradient of the sum is exactly zero: a check that uses a sum
// loss passes for ANY backward, right or wrong. Always use a random cotangent.
const [dxOfSum] = gradients(sum(softmax(x)), [x]);
show('gradient of Σ softmax(x) (always 0: never test with a sum loss)', dxOfSum);
