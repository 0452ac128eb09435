/**
 * Tutorial 4 — check your own op with gradcheck.
 *
 * Run from the repository root:  npx tsx examples/04-check-your-own-op.ts
 *
 * We add an op attograd does not have, swish (also called SiLU), y = x·σ(x) with σ(x) = 1/(1 + e^−x):
 *   dy/dx = σ(x) + x·σ(x)·(1 − σ(x)),   so   dX = dY ⊙ (σ + X ⊙ σ ⊙ (1 − σ)).
 * 1. Define it with `defineOp`: a forward kernel and a gradient rule written with attograd ops.
 * 2. Check it with `gradcheck`: every element of the Jacobian, autograd against finite differences.
 * 3. Break the rule on purpose (drop the second term) and watch gradcheck name the worst element.
 * 4. Check it inside a bigger function, with a second input.
 */
import { gradcheck, formatReport } from '@attograd/gradcheck';
import { add, matmul, mul, neg, scale } from '@attograd/ops';
import { defineOp, randn, rng, Tensor } from '@attograd/tensor';

function show(name: string, t: Tensor): void {
  const json = JSON.stringify(t.toArray(), (_key, value) => (typeof value === 'number' ? Number(value.toFixed(6)) : value));
  console.log(`${name} [${t.shape.join(', ')}] = ${json.replace(/,/g, ', ')}`);
}

/** σ(x) element by element: the forward kernel computes it once and saves it for backward. */
function sigmoidValues(x: Tensor): Tensor {
  return new Tensor(
    x.data.map((v) => 1 / (1 + Math.exp(-v))),
    x.shape,
  );
}

// --- 1. The op ------------------------------------------------------------------------------------
const swish = defineOp<Record<string, never>, Tensor>({
  name: 'swish',
  inputNames: ['x'],
  forward([x]) {
    const sigma = sigmoidValues(x);
    return {
      output: new Tensor(
        x.data.map((v, i) => v * sigma.data[i]),
        x.shape,
      ),
      saved: sigma,
    };
  },
  // dX = dY ⊙ (σ + X ⊙ σ ⊙ (1 − σ)), written with ops so it can itself be differentiated.
  backward: (dY, { inputs: [x], saved: sigma }) => [mul(dY, add(sigma, mul(mul(x, sigma), add(neg(sigma), 1))))],
});

// The same op with a mistake a tired person could make: the product rule's second term is missing.
const buggySwish = defineOp<Record<string, never>, Tensor>({
  name: 'buggySwish',
  inputNames: ['x'],
  forward([x]) {
    const sigma = sigmoidValues(x);
    return {
      output: new Tensor(
        x.data.map((v, i) => v * sigma.data[i]),
        x.shape,
      ),
      saved: sigma,
    };
  },
  backward: (dY, { saved: sigma }) => [mul(dY, sigma)],
});

const random = rng(4);
const x = randn([2, 3], { rng: random, requiresGrad: true });
show('x', x);
show('swish(x)', swish([x], {}));

// --- 2. gradcheck the op --------------------------------------------------------------------------
console.log('\n# gradcheck of swish (full Jacobian)');
const report = gradcheck((input) => swish([input], {}), [x]);
console.log(formatReport(report));
console.log(`swish: ok = ${report.ok}`);

// --- 3. The broken rule ---------------------------------------------------------------------------
console.log('\n# gradcheck of buggySwish');
const buggy = gradcheck((input) => buggySwish([input], {}), [x]);
console.log(formatReport(buggy));
console.log(`buggySwish: ok = ${buggy.ok}`);
const worst = buggy.inputs[0].worst!;
console.log(
  `worst element: x[${worst.inputIndex.join(', ')}] → y[${worst.outputIndex.join(', ')}], autograd ${worst.analytic.toFixed(6)}, finite differences ${worst.numeric.toFixed(6)}`,
);

// --- 4. Inside a bigger function, with two inputs -------------------------------------------------
console.log('\n# gradcheck of swish(x)·W, 2·x and W both checked');
const w = randn([3, 4], { rng: random, requiresGrad: true });
const composite = gradcheck((input, weight) => matmul(swish([scale(input, 2)], {}), weight), [x, w]);
console.log(formatReport(composite));
console.log(`swish inside matmul: ok = ${composite.ok}`);
