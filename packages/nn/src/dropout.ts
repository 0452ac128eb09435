import type { Rng, Tensor } from '@attograd/tensor';
import { dropout } from '@attograd/ops';
import { checkOptions, checkProbability, checkAnyTensor } from './checks';
import { Module } from './module';
import { generatorFor } from './layer-generator';

/**
 * Dropout as a layer (PyTorch's `nn.Dropout`): in training mode each element is zeroed with
 * probability p and the rest scaled by 1/(1 − p); in evaluation mode (`eval()`) it is the
 * identity. The masks come from the layer's own seeded generator, so a run is reproducible.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly #rng: Rng;

  /**
   * @param p the probability of zeroing an element, in [0, 1).
   * @param options `rng`: the generator of the masks (default: nn's shared generator).
   * @example
   * const drop = new Dropout(0.1, { rng: rng(0) });
   * drop.forward(x);          // training: about 10 % zeros
   * drop.eval().forward(x);   // x itself
   */
  constructor(p: number, options: { rng?: Rng } = {}) {
    super();
    checkOptions('Dropout', options);
    this.p = checkProbability('Dropout', 'p', p);
    this.#rng = generatorFor('Dropout', options.rng);
  }

  forward(x: Tensor): Tensor {
    checkAnyTensor('Dropout.forward', 'x', x);
    return dropout(x, this.p, { training: this.training, rng: this.#rng });
  }
}
