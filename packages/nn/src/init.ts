import { describe, formatShape, noGrad, rangeError, type Rng, Tensor, typeError } from '@attograd/tensor';
import { generatorFor } from './layer-generator';

/**
 * Initialisers, after `torch.nn.init`: each fills a tensor's values in place (no graph is
 * recorded) from a seeded generator and returns the tensor. Exported as the namespace `init`:
 *
 *   init.normal(w, { std: 0.02, rng: rng(1) });
 *   init.kaimingUniform(w, { nonlinearity: 'relu', rng: rng(2) });
 *
 * Fans follow PyTorch for a weight in the [out, in] layout: fan_in = shape[1]·r and
 * fan_out = shape[0]·r, where r is the product of any further axes (a kernel's receptive field).
 */

/** Options every initialiser takes: the generator (default: nn's shared generator, seed 0). */
export interface InitOptions {
  rng?: Rng;
}

/** The nonlinearities `gain` knows (PyTorch's `calculate_gain`). */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Whether Kaiming initialisation keeps the forward (`fanIn`) or the backward (`fanOut`) variance. */
export type FanMode = 'fanIn' | 'fanOut';

function fill(fn: string, t: Tensor, draw: () => number): Tensor {
  if (!(t instanceof Tensor)) throw typeError(fn, `t must be a Tensor, got ${describe(t)}`);
  if (t.dtype === 'int32') throw typeError(fn, `t must be a float tensor, got int32 (shape ${formatShape(t.shape)})`);
  // In place, through the tensor's own method: its version counter records the change.
  return noGrad(() =>
    t.update_((data) => {
      for (let i = 0; i < data.length; i++) data[i] = draw();
    }),
  );
}

/**
 * Values from N(mean, std²).
 *
 * @example
 * init.normal(w, { std: 0.02, rng: rng(0) })
 */
export function normal(t: Tensor, options: InitOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = options;
  if (!(std >= 0)) throw rangeError('init.normal', `std must be non-negative, got ${std}`);
  const random = generatorFor('init.normal', options.rng);
  return fill('init.normal', t, () => mean + std * random.normal());
}

/**
 * Values from U(low, high).
 *
 * @example
 * init.uniform(w, { low: -0.1, high: 0.1, rng: rng(0) })
 */
export function uniform(t: Tensor, options: InitOptions & { low?: number; high?: number } = {}): Tensor {
  const { low = 0, high = 1 } = options;
  if (!(high >= low)) throw rangeError('init.uniform', `high (${high}) must not be below low (${low})`);
  const random = generatorFor('init.uniform', options.rng);
  return fill('init.uniform', t, () => low + (high - low) * random.uniform());
}

/** Every value set to `value`. */
export function constant(t: Tensor, value: number): Tensor {
  return fill('init.constant', t, () => value);
}

/** Every value set to 0. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Every value set to 1. */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/**
 * fan_in and fan_out of a weight of `shape` ([out, in, ...receptive]).
 *
 * @throws RangeError for fewer than 2 axes (no fan is defined).
 * @example
 * fans([8, 3]) // { fanIn: 3, fanOut: 8 }
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2)
    throw rangeError('init.fans', `fans need a weight with at least 2 axes ([out, in, ...]), got shape ${formatShape(shape)}`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/**
 * The factor that keeps activations' variance steady through a nonlinearity (PyTorch's
 * `calculate_gain`): 1 for linear and sigmoid, 5/3 for tanh, √2 for relu, √(2/(1 + a²)) for
 * leaky relu of slope a, 3/4 for selu.
 */
export function gain(nonlinearity: Nonlinearity, negativeSlope = 0.01): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu':
      return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
    case 'selu':
      return 3 / 4;
    default:
      throw rangeError('init.gain', `unknown nonlinearity ${describe(nonlinearity)}`);
  }
}

/**
 * Xavier/Glorot uniform: U(−b, b) with b = gain·√(6/(fan_in + fan_out)).
 *
 * @example
 * init.xavierUniform(w, { rng: rng(0) })
 */
export function xavierUniform(t: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = fans(t.shape);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, { low: -bound, high: bound, rng: options.rng });
}

/** Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2/(fan_in + fan_out)). */
export function xavierNormal(t: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = fans(t.shape);
  return normal(t, { std: (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), rng: options.rng });
}

/** Options of the Kaiming initialisers (PyTorch's defaults: a = 0, fanIn, leakyRelu). */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of leaky relu. Default 0. */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(fn: string, t: Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t.shape);
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw rangeError(fn, `mode must be 'fanIn' or 'fanOut', got ${describe(mode)}`);
  return gain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
}

/**
 * Kaiming/He uniform: U(−b, b) with b = √3·gain/√fan.
 *
 * @example
 * init.kaimingUniform(w, { nonlinearity: 'relu', rng: rng(0) })
 */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('init.kaimingUniform', t, options);
  return uniform(t, { low: -bound, high: bound, rng: options.rng });
}

/** Kaiming/He normal: N(0, σ²) with σ = gain/√fan. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, { std: kaimingStd('init.kaimingNormal', t, options), rng: options.rng });
}
