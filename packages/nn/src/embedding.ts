import { type DType, DEFAULT_DTYPE, formatShape, type Rng, type Tensor, typeError, zeros } from '@attograd/tensor';
import { embedding } from '@attograd/ops';
import { checkInteger, checkOptions, checkAnyTensor } from './checks';
import { normal } from './init';
import { Module } from './module';
import { generatorFor } from './layer-generator';

/**
 * A lookup table of learned vectors, as PyTorch's `nn.Embedding`:  y[…] = W[ids[…]].
 *   W = weight: [V, D], initialised from N(0, 1) (PyTorch's default); ids: int32 of any shape.
 * The op `embedding` of @attograd/ops carries the derivation: the gradient is a scatter-add, so
 * a token that occurs n times in a batch receives n contributions.
 */

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  dtype?: DType;
  rng?: Rng;
}

/**
 * @example
 * const table = new Embedding(10, 4, { rng: rng(0) });
 * table.forward(tensor([[1, 2, 1]], { dtype: 'int32' })) // shape [1, 3, 4]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** W: [V, D]. */
  readonly weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkOptions('Embedding', options);
    this.numEmbeddings = checkInteger('Embedding', 'numEmbeddings', numEmbeddings, 1);
    this.embeddingDim = checkInteger('Embedding', 'embeddingDim', embeddingDim, 1);
    const weight = zeros([numEmbeddings, embeddingDim], { dtype: options.dtype ?? DEFAULT_DTYPE });
    this.weight = this.addParameter('weight', normal(weight, { rng: generatorFor('Embedding', options.rng) }));
  }

  /** The rows of W for int32 ids [...] → [..., D]. */
  forward(ids: Tensor): Tensor {
    checkAnyTensor('Embedding.forward', 'ids', ids);
    if (ids.dtype !== 'int32') {
      throw typeError(
        'Embedding.forward',
        `ids must be an int32 tensor of token ids, got ${ids.dtype} of shape ${formatShape(ids.shape)} (tensor(ids, { dtype: 'int32' }))`,
      );
    }
    return embedding(this.weight, ids);
  }
}
