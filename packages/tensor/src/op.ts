import { describe, formatShape, rangeError, typeError } from './errors';
import { isGradEnabled, setGradEnabled } from './grad-mode';
import { type GradFn, Tensor } from './tensor';
import { currentLabel } from './label';
import { AnomalyError, checkAnomaly, isAnomalyDetectionEnabled } from './anomaly';
import { checksum } from './version';

/** What a gradient rule can see: the op's inputs, its output, its attributes and what forward saved. */
export interface OpContext<Attrs, Saved, Inputs extends readonly Tensor[] = readonly Tensor[]> {
  /** The op's tensor inputs, in order (a tuple typed from `inputNames` when they are literal). */
  readonly inputs: Inputs;
  /** The op's output (its values; it is not recorded again). */
  readonly output: Tensor;
  /** The non-tensor arguments the op was called with. */
  readonly attrs: Attrs;
  /** What `forward` returned as `saved` (undefined when it returned a tensor). */
  readonly saved: Saved;
  /** needsGrad[i] is false when input i does not require a gradient; a rule may skip it. */
  readonly needsGrad: readonly boolean[];
}

/**
 * An op: a name, a forward kernel and a gradient rule. This is the one mechanism every built-in
 * op uses, and the way to add your own.
 *
 * - `forward` computes the output values from the inputs' data (it is never recorded). It returns
 *   the output tensor, or `{ output, saved }` to keep values the gradient rule needs.
 * - `backward` returns one gradient per input (null where none is needed). Write it with attograd
 *   ops, never with raw loops over data: then the same rule runs recorded when higher-order
 *   gradients are asked for (`createGraph`) and unrecorded (fast) otherwise. A gradient may have
 *   the broadcast shape of the output; the engine sums it back to the input's shape.
 */
export interface OpDefinition<Attrs, Saved, Inputs extends readonly Tensor[] = readonly Tensor[]> {
  /** The op's name, used in error messages, graphs and anomaly reports. */
  readonly name: string;
  /**
   * Names of the tensor inputs, in order, for error messages and graphs. A single name ending in
   * `...` (e.g. `['tensors...']`) makes the op variadic: it takes one or more inputs.
   */
  readonly inputNames: readonly string[];
  /** The output from the inputs' data (never recorded), optionally with values for `backward`. */
  forward(inputs: Inputs, attrs: Attrs): Tensor | { output: Tensor; saved: Saved };
  /** One gradient per input given dOut, written with attograd ops (null where none is needed). */
  backward(dOut: Tensor, context: OpContext<Attrs, Saved, Inputs>): readonly (Tensor | null | undefined)[];
}

/** Options of `defineOp`. */
export interface DefineOpOptions {
  /**
   * A promise that `backward` keeps no reference to the dOut it is handed, nor to the gradients it
   * returns, once it has returned (true of every rule written only with attograd ops that stores
   * nothing). The backward driver may then give those buffers back to the buffer pool when they
   * are dead. Leave it unset (the default) when in doubt: without it, the driver never reuses a
   * buffer the rule saw, so a tensor the rule kept can never change.
   */
  readonly keepsNoGradients?: boolean;
}

/** The ops (by their shared `recompute`) defined with `keepsNoGradients`. */
const rulesKeepingNoGradients = new WeakSet<GradFn['recompute']>();

/** Whether the node's rule promised to keep no reference to its dOut and returned gradients. */
export function keepsNoGradients(gradFn: GradFn): boolean {
  return rulesKeepingNoGradients.has(gradFn.recompute);
}

/**
 * The type of an op's inputs from its `inputNames`: one `Tensor` per name when the names are a
 * literal tuple (`['a', 'b']` gives `readonly [Tensor, Tensor]`, so `([a, b]) => …` needs no `!`
 * under `noUncheckedIndexedAccess`); any number of tensors for a variadic op (`['tensors...']`) or
 * when the names are only known as `string[]`.
 */
export type InputTensors<Names extends readonly string[]> = Names extends readonly [`${string}...`]
  ? readonly Tensor[]
  : number extends Names['length']
    ? readonly Tensor[]
    : { readonly [K in keyof Names]: Tensor };

/** The attrs argument of an op call: optional when the op has no required attribute. */
export type AttrsArgument<Attrs> = EmptyAttrs extends Attrs ? [attrs?: Attrs] : [attrs: Attrs];

/** An attrs object with no keys (`{}` as a value): an op may be called without attrs when this is one of its attrs. */
export type EmptyAttrs = Record<never, never>;

/** A defined op: call it with its tensor inputs and its attributes (omit them when it has none). */
export interface Op<Attrs> {
  (inputs: readonly Tensor[], ...attrs: AttrsArgument<Attrs>): Tensor;
  /** The `name` it was defined with. */
  readonly opName: string;
  /** The `inputNames` it was defined with. */
  readonly inputNames: readonly string[];
}

/**
 * Defines an op. Calling the result checks that the inputs are tensors of one dtype, runs the
 * forward kernel, and, when recording is on and some input requires a gradient, records the op
 * in the graph so that `backward()` and `gradients()` can run its rule.
 *
 * @example
 * const cube = defineOp({
 *   name: 'cube',
 *   inputNames: ['x'],
 *   forward: ([x]) => new Tensor(x.data.map((v: number) => v * v * v), x.shape),
 *   backward: (dOut, { inputs: [x] }) => [mul(dOut, mul(scale(x, 3), x))],
 * });
 * const y = cube([x]);
 */
export function defineOp<Attrs = Record<string, never>, Saved = undefined, const Names extends readonly string[] = readonly string[]>(
  definition: OpDefinition<Attrs, Saved, InputTensors<Names>> & { readonly inputNames: Names },
  options: DefineOpOptions = {},
): Op<Attrs> {
  const { name, inputNames } = definition;
  // One function per op, shared by its nodes (no allocation per node): `this` is the node's gradFn.
  const recompute = function (this: GradFn, inputs: readonly Tensor[]): Tensor {
    return apply(inputs, this.attrs as Attrs);
  };
  if (options.keepsNoGradients === true) rulesKeepingNoGradients.add(recompute);
  const forward = definition.forward as (inputs: readonly Tensor[], attrs: Attrs) => Tensor | { output: Tensor; saved: Saved };
  const backwardRule = definition.backward as (dOut: Tensor, context: OpContext<Attrs, Saved>) => readonly (Tensor | null | undefined)[];
  const apply = (inputs: readonly Tensor[], attrs: Attrs = {} as Attrs): Tensor => {
    checkInputs(name, inputNames, inputs);
    // The forward runs unrecorded; the mode is switched directly rather than through
    // withGradMode, whose closure per call showed in profiles of long chains of small ops.
    const previous = setGradEnabled(false);
    let result: Tensor | { output: Tensor; saved: Saved };
    try {
      result = forward(inputs, attrs);
    } finally {
      setGradEnabled(previous);
    }
    const computed = forwardOutput(name, result);
    if (inputs.length > 0 && computed.dtype !== inputs[0].dtype) {
      throw typeError(
        name,
        `forward returned a ${computed.dtype} tensor for ${inputs[0].dtype} inputs (an op's output keeps its inputs' dtype)`,
      );
    }
    // A forward that hands back one of its inputs gets a new tensor: the input must stay as it is.
    const output = inputs.includes(computed) ? new Tensor(computed.data, computed.shape) : computed;
    const saved = (result instanceof Tensor ? undefined : result.saved) as Saved;
    if (isAnomalyDetectionEnabled()) checkAnomaly('forward', name, currentLabel(), inputs, output, 'its output');
    if (!isGradEnabled()) return output;
    const needsGrad = new Array<boolean>(inputs.length);
    let anyNeedsGrad = false;
    for (let i = 0; i < inputs.length; i++) anyNeedsGrad = (needsGrad[i] = inputs[i].requiresGrad) || anyNeedsGrad;
    if (!anyNeedsGrad) return output;

    const versions = savedVersions(inputs, output);
    const sums = isAnomalyDetectionEnabled() ? [...inputs, output].map((t) => checksum(t.data)) : null;
    output.requiresGrad = true;
    output.gradFn = {
      op: name,
      inputs,
      attrs: attrs as Record<string, unknown>,
      label: currentLabel(),
      recompute,
      // One closure per node: it checks that nothing the rule reads changed since, then runs it.
      vjp: (dOut) => {
        checkSaved(name, inputNames, inputs, output, versions, sums, output.gradFn?.label);
        return checkGradients(name, inputNames, inputs, backwardRule(dOut, { inputs, output, attrs, saved, needsGrad }));
      },
    };
    return output;
  };
  return Object.assign(apply, { opName: name, inputNames }) as unknown as Op<Attrs>;
}

/** The output tensor of a forward, which must return a Tensor or `{ output: Tensor, saved }`. */
function forwardOutput(op: string, result: unknown): Tensor {
  if (result instanceof Tensor) return result;
  const output = typeof result === 'object' && result !== null ? (result as { output?: unknown }).output : undefined;
  if (output instanceof Tensor) return output;
  throw typeError(op, `forward must return a Tensor or { output: Tensor, saved }, got ${describe(result)}`);
}

/** A backward must return one entry per input, each a Tensor or null (undefined counts as null). */
function checkGradients(op: string, declared: readonly string[], inputs: readonly Tensor[], grads: unknown): (Tensor | null)[] {
  if (!Array.isArray(grads)) throw typeError(op, `backward must return an array of gradients (one per input), got ${describe(grads)}`);
  if (grads.length !== inputs.length) {
    throw rangeError(
      op,
      `backward returned ${grads.length} gradients for ${inputs.length} inputs; return one per input (null where none is needed)`,
    );
  }
  // Names are built only for a message (this runs for every node of every backward pass).
  return grads.map((grad: unknown, i) => {
    if (grad === null || grad === undefined) return null;
    if (!(grad instanceof Tensor)) {
      const name = inputName(declared, inputs.length, i);
      throw typeError(op, `backward returned ${describe(grad)} as the gradient of ${name}; expected a Tensor or null`);
    }
    return grad;
  });
}

function checkInputs(op: string, declared: readonly string[], inputs: readonly Tensor[]): void {
  if (!Array.isArray(inputs) || !countFits(declared, inputs.length)) {
    const got = Array.isArray(inputs) ? inputs.length : describe(inputs);
    throw typeError(op, `expects ${declared.length} tensor inputs (${declared.join(', ')}), got ${got}`);
  }
  // Names are built only for a message (this runs on every op call).
  for (let i = 0; i < inputs.length; i++) {
    if (!(inputs[i] instanceof Tensor))
      throw typeError(op, `${inputName(declared, inputs.length, i)} must be a Tensor, got ${describe(inputs[i])}`);
  }
  for (let i = 1; i < inputs.length; i++) {
    if (inputs[i].dtype !== inputs[0].dtype) {
      const [first, other] = [inputName(declared, inputs.length, 0), inputName(declared, inputs.length, i)];
      throw typeError(
        op,
        `inputs must share one dtype: ${first} is ${inputs[0].dtype} ${formatShape(inputs[0].shape)}, ` +
          `${other} is ${inputs[i].dtype} ${formatShape(inputs[i].shape)} (convert with .to('float64'))`,
      );
    }
  }
}

/** Whether an op declared with `declared` names takes `count` inputs (a variadic op: one or more). */
function countFits(declared: readonly string[], count: number): boolean {
  return declared.length === 1 && declared[0].endsWith('...') ? count >= 1 : count === declared.length;
}

/** The name of input i, for messages (see inputLabels). */
function inputName(declared: readonly string[], count: number, i: number): string {
  return (inputLabels(declared, count) ?? [])[i];
}

/**
 * The name of each input, for messages: the declared names, or for a variadic op (one declared
 * name ending in `...`, e.g. `tensors...`) `tensors[0]`, `tensors[1]`, …. Null when the count is wrong.
 */
function inputLabels(declared: readonly string[], count: number): string[] | null {
  const variadic = declared.length === 1 && declared[0].endsWith('...');
  if (variadic) {
    const base = declared[0].slice(0, -3);
    return count >= 1 ? Array.from({ length: count }, (_, i) => `${base}[${i}]`) : null;
  }
  return count === declared.length ? declared.slice() : null;
}

/**
 * The version of every tensor the gradient rule can read (the inputs, then the output), kept
 * when the op is recorded. With `detectAnomaly` on, a checksum of their values is kept too.
 * Recording must stay cheap, so only numbers are kept here; messages are built on failure.
 */
function savedVersions(inputs: readonly Tensor[], output: Tensor): number[] {
  const count = inputs.length;
  const versions = new Array<number>(count + 1);
  for (let i = 0; i < count; i++) versions[i] = inputs[i].version;
  versions[count] = output.version;
  return versions;
}

/**
 * Run just before the rule: throws if a tensor the rule reads was changed in place since the op
 * was recorded (its version moved), or, with `detectAnomaly`, overwritten through `.data` (its
 * checksum moved): the rule would compute a wrong gradient.
 */
function checkSaved(
  op: string,
  declared: readonly string[],
  inputs: readonly Tensor[],
  output: Tensor,
  versions: readonly number[],
  sums: readonly number[] | null,
  label: string | undefined,
): void {
  const count = inputs.length;
  for (let i = 0; i <= count; i++) {
    const t = i < count ? inputs[i] : output;
    const changed = t.version !== versions[i];
    if (!changed && (sums === null || checksum(t.data) === sums[i])) continue;
    const name = i < count ? inputName(declared, count, i) : 'its output';
    const what = `${name}${t.name === undefined ? '' : ` '${t.name}'`} (shape ${formatShape(t.shape)})`;
    const stage = label === undefined ? '' : ` (stage ${label})`;
    if (changed) {
      throw new Error(
        `backward of '${op}'${stage}: ${what} was changed in place after '${op}' used it (version ${versions[i]} then, ` +
          `${t.version} now), so its gradient would be wrong. Change a clone() instead, or change it after backward`,
      );
    }
    throw new AnomalyError(
      `backward of '${op}'${stage}: the values of ${what} were overwritten (through .data) after '${op}' used them, ` +
        `so its gradient would be wrong. Use clone() or the in-place methods, and change values after backward`,
      op,
      label,
      'backward',
      [t],
    );
  }
}
