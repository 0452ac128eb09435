import { allocate, DEFAULT_DTYPE, dtypeOf, isDType, type DType, type TensorData } from './dtype';
import { describe, formatShape, rangeError, typeError } from './errors';
import { isRng, rng as createRng, type Rng } from './random';
import { checkShape, sizeOf } from './shape';
import { Tensor, type NestedArray } from './tensor';

/**
 * Options of the creation functions (`zeros`, `ones`, `full`).
 *
 * @example
 * zeros([2, 3], { dtype: 'float32', requiresGrad: true });
 */
export interface CreateOptions {
  /** Element type. Default: float64 (or the typed array's own type). */
  dtype?: DType;
  /** Whether gradients should flow to this tensor. Default: false. */
  requiresGrad?: boolean;
}

/**
 * Options of `tensor(values)`: the creation options and, for flat values, the shape.
 *
 * @example
 * tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
 */
export interface TensorFromValuesOptions extends CreateOptions {
  /** The shape, required for a flat typed array or array of more than one axis' worth of values. */
  shape?: readonly number[];
}

/**
 * Options of `randn` and `rand`: the creation options and the generator to draw from.
 *
 * @example
 * randn([3, 4], { rng: rng(42), requiresGrad: true });
 */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from: `rng(seed)`. Default: a shared generator seeded with 0. */
  rng?: Rng;
}

/**
 * A tensor from nested arrays (`[[1, 2], [3, 4]]`), a number (a scalar), or a typed/plain flat
 * array with `shape`. Values are copied.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = tensor(new Float64Array(6), { shape: [2, 3] });
 */
export function tensor(values: NestedArray | TensorData | readonly number[], options: TensorFromValuesOptions = {}): Tensor {
  const dtype = resolveDType('tensor', options.dtype, dtypeOf(values));
  let flat: ArrayLike<number>;
  let shape: readonly number[];
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (ArrayBuffer.isView(values)) {
    if (dtypeOf(values) === null) throw typeError('tensor', 'a typed array must be a Float64Array, Float32Array or Int32Array');
    flat = values as TensorData;
    shape = options.shape ?? [flat.length];
  } else if (Array.isArray(values)) {
    const nested = flatten(values);
    flat = nested.values;
    shape = options.shape ?? nested.shape;
  } else {
    throw typeError('tensor', `values must be a number, nested arrays of numbers or a typed array, got ${describe(values)}`);
  }
  checkShape('tensor', 'shape', shape);
  if (sizeOf(shape) !== flat.length) {
    throw rangeError('tensor', `${flat.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  if (dtype === 'int32') checkInt32Values(flat);
  const data = allocate(dtype, flat.length);
  data.set(flat);
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad });
}

/** int32 holds indices: a value that is not an integer in int32 range would be silently changed. */
function checkInt32Values(values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
      throw rangeError('tensor', `an int32 tensor holds integers in [-2³¹, 2³¹); value ${i} is ${value}`);
    }
  }
}

/**
 * A tensor of zeros of `shape`.
 *
 * @throws TypeError when shape is not an array; RangeError when a dimension is not a non-negative integer.
 * @example
 * zeros([2, 3]) // shape [2, 3], float64
 */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones of `shape`.
 *
 * @throws as `zeros`.
 * @example
 * ones([3], { dtype: 'float32' })
 */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @throws as `zeros`, and TypeError when value is not a number.
 * @example
 * full([2, 2], -Infinity) // e.g. a mask of scores
 */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  checkShape('full', 'shape', shape);
  if (typeof value !== 'number') throw typeError('full', `value must be a number, got ${describe(value)}`);
  const data = allocate(resolveDType('full', options.dtype, null), sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad });
}

let sharedRng: Rng | null = null;

/**
 * Standard normal values drawn from `options.rng`. Equal seeds give equal tensors everywhere.
 *
 * @throws as `zeros`, and TypeError when rng does not come from `rng(seed)`.
 * @example
 * const x = randn([3, 4], { rng: rng(0), requiresGrad: true });
 */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return random('randn', shape, options, (generator) => generator.normal());
}

/**
 * Uniform values in [0, 1) drawn from `options.rng`.
 *
 * @throws as `randn`.
 * @example
 * rand([2, 2], { rng: rng(7) })
 */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return random('rand', shape, options, (generator) => generator.uniform());
}

function random(op: string, shape: readonly number[], options: RandomOptions, draw: (generator: Rng) => number): Tensor {
  checkShape(op, 'shape', shape);
  if (options.rng !== undefined && !isRng(options.rng)) {
    throw typeError(op, `rng must come from rng(seed), got ${describe(options.rng)}`);
  }
  const generator = options.rng ?? (sharedRng ??= createRng(0));
  const dtype = resolveDType(op, options.dtype, null);
  if (dtype === 'int32') throw typeError(op, 'draws floating-point values: dtype must be float64 or float32, got int32');
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(generator);
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad });
}

function resolveDType(op: string, requested: unknown, fromData: DType | null): DType {
  if (requested === undefined) return fromData ?? DEFAULT_DTYPE;
  if (!isDType(requested)) throw typeError(op, `dtype must be 'float64', 'float32' or 'int32', got ${describe(requested)}`);
  return requested;
}

/** Flattens nested arrays, checking that they are rectangular. */
function flatten(values: readonly unknown[]): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let level: unknown = values; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: number[] = [];
  const walk = (value: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number') throw typeError('tensor', `values${path} must be a number, got ${describe(value)}`);
      flat.push(value);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw rangeError('tensor', `values are ragged: values${path} should be an array of length ${shape[depth]}, got ${describe(value)}`);
    }
    value.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(values, 0, '');
  return { values: flat, shape };
}
