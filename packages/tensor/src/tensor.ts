import { allocate, dtypeOf, type DType, type TensorData } from './dtype';
import { describe, formatShape, rangeError, typeError } from './errors';
import { checkShape, sizeOf, stridesOf } from './shape';
import { backwardToLeaves } from './autograd';
import { isTensor, TENSOR_BRAND } from './brand';
import { bumpVersion, versionOf } from './version';
import { checkInPlace, checkNumber, checkOperand } from './in-place';
import { noteCreated } from './ownership';
import { clone } from './primitives';

/**
 * How a tensor was made: the op, its inputs and its vector-Jacobian product. Only tensors produced
 * by an op while recording have one; leaves (tensors you create) do not.
 */
export interface GradFn {
  /** The op's name, e.g. `'matmul'`. */
  readonly op: string;
  /** The op's inputs, in order. Emptied when the graph is freed after backward. */
  inputs: readonly Tensor[];
  /** The op's non-tensor arguments (axis, factor, …), for display. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /**
   * The vector-Jacobian product: given dOut (the gradient of the loss with respect to this
   * tensor), one gradient per input (null where an input needs none).
   */
  vjp: ((dOut: Tensor) => readonly (Tensor | null)[]) | null;
  /** A label set by composite code, e.g. the attention stage this op belongs to. */
  label?: string;
  /**
   * Recomputes this node's value from new input values, with the op and attributes it was
   * recorded with (the forward kernel only: the result is not recorded when recording is off).
   * For tools that re-evaluate part of a recorded graph, e.g. @attograd/gradcheck's finite
   * differences, which redo only the ops downstream of a perturbed input.
   *
   * @example
   * const y = matmul(a, b);            // recorded
   * y.gradFn?.recompute([a2, b]);      // matmul(a2, b), same attributes
   */
  recompute(inputs: readonly Tensor[]): Tensor;
}

/**
 * Options of a tensor's conversion or construction.
 *
 * @example
 * const options: TensorOptions = { dtype: 'float32', requiresGrad: true };
 */
export interface TensorOptions {
  /** Element type: `'float64'` (default), `'float32'` or `'int32'` (indices; never requires gradients). */
  dtype?: DType;
  /** Whether gradients flow to the tensor. Default: false. */
  requiresGrad?: boolean;
}

/**
 * Options of `Tensor.backward`.
 *
 * @example
 * y.backward(cotangent, { retainGraph: true }); // the graph survives for a second pass
 */
export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again. Default: false. */
  retainGraph?: boolean;
  /** Record the gradient computation itself, for higher-order gradients. Default: false. */
  createGraph?: boolean;
}

/** Nested arrays of numbers, as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float64 (default) or float32 values in row-major order, which can
 * record the ops applied to it and run reverse-mode automatic differentiation.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = mul(x, x);             // recorded: y.gradFn.op === 'mul'
 * y.backward(ones(y.shape));       // dy/dx ⊙ 1
 * x.grad?.toArray();               // [[2, 4], [6, 8]]
 */
export class Tensor {
  /**
   * `value instanceof Tensor` is true for every tensor, including those made by another copy of
   * attograd in the same process (the ESM and the CommonJS builds): it checks the
   * `Symbol.for('attograd.tensor')` brand, not this class object. Subclasses keep the ordinary rule.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about (a subclass keeps the prototype-chain rule); writing `Tensor` would change the meaning.
    if (this !== Tensor) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isTensor(value);
  }

  /** The brand shared by all copies of attograd (see `isTensor`); a data property of the prototype. */
  declare readonly [TENSOR_BRAND]: true;

  /** Dimensions; `[]` is a scalar. */
  readonly shape: readonly number[];
  /** `'float64'`, `'float32'` or `'int32'`: the type of `data`. */
  readonly dtype: DType;
  /**
   * The values in row-major order. Writing to it directly is the escape hatch (like PyTorch's
   * `.data`): it bumps no version, so prefer the in-place methods (`copy_`, `fill_`, `addScaled_`,
   * `update_`, …); `detectAnomaly` catches raw writes to values a recorded op saved.
   */
  readonly data: TensorData;
  /** Whether gradients flow to this tensor. */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf after `backward()`, or null. */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or null for a leaf. */
  gradFn: GradFn | null = null;
  /** An optional name, shown in graphs and error messages. */
  name: string | undefined;

  /**
   * Wraps a typed array (not copied) as a tensor of `shape`. Prefer `tensor(...)`, `zeros(...)`
   * and friends; this is the low-level constructor that kernels use.
   */
  constructor(data: TensorData, shape: readonly number[], options: { requiresGrad?: boolean; name?: string } = {}) {
    const dtype = dtypeOf(data);
    if (dtype === null) throw typeError('Tensor', 'data must be a Float64Array, a Float32Array or an Int32Array');
    if (dtype === 'int32' && options.requiresGrad === true) {
      throw typeError('Tensor', `an int32 tensor (shape ${formatShape(shape)}) cannot require gradients: integers are not differentiable`);
    }
    checkShape('Tensor', 'shape', shape);
    if (options.requiresGrad !== undefined && typeof options.requiresGrad !== 'boolean') {
      throw typeError('Tensor', `requiresGrad must be true or false, got ${describe(options.requiresGrad)}`);
    }
    if (data.length !== sizeOf(shape)) {
      throw rangeError('Tensor', `data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name;
    noteCreated(data);
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /**
   * How many times the values were changed in place by a method of this tensor or of another
   * sharing its buffer (a `detach()`ed copy, a `reshape` view). Each recorded op remembers the
   * versions of its inputs, and backward refuses to run its rule when one has changed since.
   */
  get version(): number {
    return versionOf(this.data);
  }

  /** True for tensors not produced by a recorded op (the ones `.grad` is filled for). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * Reverse-mode differentiation from this tensor: fills `.grad` of every leaf that requires
   * gradients with the vector-Jacobian product of `gradOutput` (accumulating into any gradient
   * already there). `gradOutput` may be omitted only for a scalar, where it is 1.
   */
  backward(gradOutput?: Tensor, options: BackwardOptions = {}): void {
    backwardToLeaves(this, gradOutput, options);
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const strides = stridesOf(this.shape);
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.data[offset];
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]; i++) out.push(build(axis + 1, offset + i * strides[axis]));
      return out;
    };
    return build(0, 0);
  }

  /** The values of a rank-1 tensor as `number[]` (throws, naming the shape, on any other rank). */
  toArray1d(): number[] {
    checkRank('toArray1d', this, 1);
    return this.toArray() as number[];
  }

  /** The values of a rank-2 tensor as `number[][]` (throws, naming the shape, on any other rank). */
  toArray2d(): number[][] {
    checkRank('toArray2d', this, 2);
    return this.toArray() as number[][];
  }

  /** The values of a rank-3 tensor as `number[][][]` (throws, naming the shape, on any other rank). */
  toArray3d(): number[][][] {
    checkRank('toArray3d', this, 3);
    return this.toArray() as number[][][];
  }

  /** The values of a rank-4 tensor as `number[][][][]` (throws, naming the shape, on any other rank). */
  toArray4d(): number[][][][] {
    checkRank('toArray4d', this, 4);
    return this.toArray() as number[][][][];
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw rangeError('item', `only a tensor with exactly one element has an item; this one has shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /**
   * Copies `source`'s values into this tensor (converting the dtype if they differ). Shapes must
   * be equal. In-place: bumps `version`; refused on a tensor that requires gradients unless
   * inside `noGrad`. Returns this tensor.
   *
   * @example
   * noGrad(() => weight.copy_(loaded));
   */
  copy_(source: Tensor): this {
    checkInPlace('copy_', this);
    checkOperand('copy_', 'source', this, source, false);
    this.data.set(source.data);
    return this.changed();
  }

  /** Sets every element to `value` (in place, see `copy_`). Returns this tensor. */
  fill_(value: number): this {
    checkInPlace('fill_', this);
    checkNumber('fill_', 'value', value);
    this.data.fill(value);
    return this.changed();
  }

  /** Sets every element to 0 (in place, see `copy_`), e.g. `grad.zero_()`. Returns this tensor. */
  zero_(): this {
    checkInPlace('zero_', this);
    this.data.fill(0);
    return this.changed();
  }

  /** Multiplies every element by `factor` (in place, see `copy_`). Returns this tensor. */
  scale_(factor: number): this {
    checkInPlace('scale_', this);
    checkNumber('scale_', 'factor', factor);
    const data = this.data;
    for (let i = 0; i < data.length; i++) data[i] *= factor;
    return this.changed();
  }

  /**
   * this ← this + alpha · other, element-wise (in place, see `copy_`); `other` must have this
   * tensor's shape and dtype. The plain SGD step is `noGrad(() => w.addScaled_(w.grad!, -lr))`.
   * Returns this tensor.
   */
  addScaled_(other: Tensor, alpha = 1): this {
    checkInPlace('addScaled_', this);
    checkOperand('addScaled_', 'other', this, other, true);
    checkNumber('addScaled_', 'alpha', alpha);
    const data = this.data;
    const source = other.data;
    for (let i = 0; i < data.length; i++) data[i] += alpha * source[i];
    return this.changed();
  }

  /**
   * The low-level hook for fused updates (an Adam step, a clipped update): runs `fn` on the
   * values, which it may change freely, then bumps `version` once. Same rules as the other
   * in-place methods; `fn` must be synchronous. Returns this tensor.
   *
   * @example
   * noGrad(() => w.update_((data) => { for (let i = 0; i < data.length; i++) data[i] -= lr * m[i] / (Math.sqrt(v[i]) + eps); }));
   */
  update_(fn: (data: TensorData) => void): this {
    checkInPlace('update_', this);
    if (typeof fn !== 'function') throw typeError('update_', `fn must be a function of the data, got ${describe(fn)}`);
    const result: unknown = fn(this.data);
    this.changed();
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      throw typeError(
        'update_',
        'fn returned a Promise: the update must finish before update_ returns (the version was bumped, but changes made after an await are not tracked)',
      );
    }
    return this;
  }

  private changed(): this {
    bumpVersion(this.data);
    return this;
  }

  /**
   * The same values, cut from the graph: the result has no gradFn and does not require gradients.
   * It is a view: it shares this tensor's buffer (and version counter), so a change to one shows
   * in the other. `clone()` gives an independent copy.
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, { name: this.name });
  }

  /**
   * A copy of the values in a new buffer, recorded as the op `clone` (gradient: the identity), as
   * in PyTorch: `gradients(f(x.clone()), [x])` reaches x. Under `noGrad`, or for a tensor that
   * does not require gradients, it is a plain copy.
   */
  clone(): Tensor {
    const copy = clone(this);
    copy.name = this.name;
    return copy;
  }

  /**
   * A copy converted to `dtype`: a new leaf, not recorded (requiresGrad is kept, except for int32).
   * Converting to int32 truncates toward zero.
   */
  to(dtype: DType): Tensor {
    const data = allocate(dtype, this.size);
    data.set(this.data);
    // An int32 copy truncates toward zero (as PyTorch) and, being integers, drops requiresGrad.
    if (dtype === 'int32') for (let i = 0; i < data.length; i++) data[i] = Math.trunc(this.data[i]);
    return new Tensor(data, this.shape, { requiresGrad: this.requiresGrad && dtype !== 'int32', name: this.name });
  }

  /**
   * What `console.log(t)` and `util.inspect(t)` show in Node: shape, dtype and the values
   * (abridged beyond 1,000 elements), instead of the object's fields.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const header = `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}${this.gradFn ? `, gradFn=${this.gradFn.op}` : this.requiresGrad ? ', requiresGrad' : ''})`;
    if (this.size > 1000) {
      const head = Array.from(this.data.subarray(0, 6), (v) => String(v)).join(', ');
      return `${header} [${head}, … ${this.size - 6} more]`;
    }
    return `${header} ${formatTensor(this)}`;
  }

  /** The values, nested like the shape, with dtype and gradFn (see `formatTensor`). */
  toString(): string {
    return formatTensor(this);
  }
}

Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });

/**
 * Prints values with up to `digits` decimals (default 4), nested like the shape, with dtype and
 * gradFn.
 *
 * @example
 * formatTensor(tensor([[1, 2.5]]), 2) // 'tensor([[1.0, 2.50]])'
 */
export function formatTensor(t: Tensor, digits = 4): string {
  const text = (value: NestedArray, indent: string): string => {
    if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : value.toFixed(digits);
    if (value.length === 0) return '[]';
    if (typeof value[0] === 'number') return `[${value.map((v) => text(v, '')).join(', ')}]`;
    return `[${value.map((v) => text(v, `${indent} `)).join(`,\n${indent} `)}]`;
  };
  const extras = [
    t.dtype !== 'float64' ? `dtype=${t.dtype}` : '',
    t.gradFn ? `gradFn=${t.gradFn.op}` : t.requiresGrad ? 'requiresGrad' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `tensor(${text(t.toArray(), '       ')}${extras ? `, ${extras}` : ''})`;
}

/** The typed `toArrayNd` helpers accept exactly one rank. */
function checkRank(method: string, t: Tensor, rank: number): void {
  if (t.shape.length !== rank) {
    const use = t.shape.length >= 1 && t.shape.length <= 4 ? `toArray${t.shape.length}d()` : t.shape.length === 0 ? 'item()' : 'toArray()';
    throw rangeError(method, `expects a rank-${rank} tensor, got shape ${formatShape(t.shape)} (rank ${t.shape.length}); use ${use}`);
  }
}
