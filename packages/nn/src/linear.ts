import { type DType, DEFAULT_DTYPE, type Rng, type Tensor, zeros } from '@attograd/tensor';
import { add, matmulTransposed, reshape } from '@attograd/ops';
import { checkFeatures, checkInteger, checkOptions } from './checks';
import { uniform } from './init';
import { Module } from './module';
import { generatorFor } from './layer-generator';

/**
 * A fully connected layer, as PyTorch's `nn.Linear`:  y = x·Wᵀ + b.
 *   W: [out, in] (PyTorch's layout, so weights load from PyTorch unchanged), b: [out].
 *   x: [..., in] → y: [..., out]. Leading axes are flattened into one matrix product.
 * Initialised as PyTorch does: W and b from U(−1/√in, 1/√in).
 * Gradients (by autograd): dx = dy·W, dW = dyᵀ·x (summed over the leading axes), db = Σ dy.
 */

/** Options of `Linear` (and of the layers built from it). */
export interface LinearOptions {
  /** Add a bias b. Default true. */
  bias?: boolean;
  /** The parameters' dtype. Default float64. */
  dtype?: DType;
  /** The generator of the initial values. Default: nn's shared generator (seed 0). */
  rng?: Rng;
}

/**
 * @example
 * const layer = new Linear(4, 3, { rng: rng(0) });
 * layer.forward(randn([2, 5, 4])) // shape [2, 5, 3]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** W: [out, in]. */
  readonly weight: Tensor;
  /** b: [out], or null without a bias. */
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkOptions('Linear', options);
    this.inFeatures = checkInteger('Linear', 'inFeatures', inFeatures, 1);
    this.outFeatures = checkInteger('Linear', 'outFeatures', outFeatures, 1);
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const random = generatorFor('Linear', options.rng);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.addParameter(
      'weight',
      uniform(zeros([outFeatures, inFeatures], { dtype }), { low: -bound, high: bound, rng: random }),
    );
    this.bias =
      options.bias === false
        ? null
        : this.addParameter('bias', uniform(zeros([outFeatures], { dtype }), { low: -bound, high: bound, rng: random }));
  }

  /** y = x·Wᵀ + b for x: [..., in]. */
  forward(x: Tensor): Tensor {
    checkFeatures('Linear.forward', x, this.inFeatures, this.weight.dtype, 'in features');
    return linear(x, this.weight, this.bias);
  }
}

/**
 * y = x·Wᵀ + b with W in the [out, in] layout (PyTorch's `F.linear`), for already checked
 * arguments: the leading axes of x are flattened so that one 2-D product does the work.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const inFeatures = x.shape[x.rank - 1];
  const leading = x.shape.slice(0, -1);
  const rows = x.rank === 2 ? x : reshape(x, [-1, inFeatures]);
  const product = matmulTransposed(rows, weight, false, true);
  const y = bias === null ? product : add(product, bias);
  return x.rank === 2 ? y : reshape(y, [...leading, weight.shape[0]]);
}
