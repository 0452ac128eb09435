import { Tensor, describe, formatShape, noGrad, rangeError, typeError, withGradMode } from '@attograd/tensor';
import { checkKnownKeys } from './checks';
import { zeroGrad, type ZeroGradOptions } from './zero-grad';

/** The option every optimizer has: the learning rate, which a schedule changes between steps. */
export interface BaseOptions {
  /** The learning rate. */
  lr: number;
}

/**
 * A parameter group as given to a constructor: its tensors, plus any options that differ from
 * the optimizer's defaults.
 *
 * @example
 * new AdamW([{ params: weights }, { params: biases, weightDecay: 0 }], { lr: 1e-3 });
 */
export type ParamGroupInput<O> = { params: readonly Tensor[] | Tensor } & Partial<O>;

/** What an optimizer is made from: a list of tensors, or a list of parameter groups. */
export type Params<O> = readonly Tensor[] | readonly ParamGroupInput<O>[];

/**
 * A parameter group as the optimizer holds it, every option filled in. Its options may be changed
 * between steps (a schedule sets `lr`); they are checked again at every `step()`.
 * `initialLr` is set by the first schedule attached to the optimizer.
 */
export type ParamGroup<O> = { params: Tensor[]; initialLr?: number } & O;

/** What an optimizer remembers about one parameter between steps (moment estimates, step count). */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state, detached from the tensors it optimizes: parameters are numbered in the
 * order they appear across the groups, as in PyTorch. Every tensor in it is a copy.
 */
export interface OptimizerStateDict {
  /** The class that saved it (`'SGD'`, `'Adam'`, `'AdamW'`). */
  optimizer: string;
  /** Per-parameter state, keyed by parameter number; parameters that never had a step have none. */
  state: Record<number, ParamState>;
  /** The groups' options, each with the numbers of its parameters. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * What SGD, Adam and AdamW share: parameter groups, `step()` (which skips parameters whose
 * `grad` is null), `zeroGrad()`, and saving/loading state. A subclass supplies its options'
 * checks and the update of one parameter. As a type, it stands for any optimizer.
 *
 * @example
 * function trainStep(optimizer: Optimizer, loss: () => Tensor): void {
 *   optimizer.zeroGrad();
 *   loss().backward();
 *   optimizer.step();
 * }
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The options a group gets when it does not set its own. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, in order. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first step. */
  readonly state = new Map<Tensor, ParamState>();
  /** Whether parameters came in groups (error messages then name the group). */
  private grouped = false;

  protected constructor(
    /** The class name, used in error messages and state dicts. */
    readonly name: string,
    params: Params<O>,
    defaults: O,
    private readonly optionNames: readonly string[],
  ) {
    checkKnownKeys(name, 'the options', defaults, optionNames);
    this.defaults = Object.freeze({ ...defaults });
    if (params instanceof Tensor || !Array.isArray(params)) {
      throw typeError(name, `params must be an array of tensors or of parameter groups ({ params, ...options }), got ${describe(params)}`);
    }
    if (params.length === 0) throw rangeError(name, 'params is empty: there is nothing to optimize');
    const list = params as readonly unknown[];
    this.grouped = !list.every((p) => p instanceof Tensor);
    const stray = list.findIndex((p) => !(p instanceof Tensor));
    if (this.grouped && list.some((p) => p instanceof Tensor)) {
      throw typeError(
        name,
        `params mixes tensors and other values: params[${stray}] is ${describe(list[stray])}; give a list of tensors or a list of parameter groups`,
      );
    }
    const groups = this.grouped
      ? (params as readonly ParamGroupInput<O>[])
      : [{ params: params as readonly Tensor[] } as ParamGroupInput<O>];
    for (const group of groups) this.addParamGroup(group);
  }

  /**
   * Adds a group of parameters with its own options (e.g. layers unfrozen during fine-tuning).
   * A parameter may belong to one group only.
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (this.paramGroups.length > 0) this.grouped = true;
    const where = `parameter group ${this.paramGroups.length}`;
    if (group instanceof Tensor || typeof group !== 'object' || group === null || Array.isArray(group)) {
      throw typeError(this.name, `${where} must be an object { params, ...options }, got ${describe(group)}`);
    }
    checkKnownKeys(this.name, where, group, ['params', ...this.optionNames]);
    const params = group.params instanceof Tensor ? [group.params] : group.params;
    if (!Array.isArray(params)) throw typeError(this.name, `params of ${where} must be an array of tensors, got ${describe(params)}`);
    if (params.length === 0) throw rangeError(this.name, `${where} has no parameters`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    const at = (i: number) => (this.grouped ? `params[${i}] of ${where}` : `params[${i}]`);
    params.forEach((param: unknown, i) => {
      if (!(param instanceof Tensor)) throw typeError(this.name, `${at(i)} must be a Tensor, got ${describe(param)}`);
      if (param.dtype !== 'float64' && param.dtype !== 'float32') {
        throw typeError(
          this.name,
          `${at(i)} (${describeParam(param)}) is not floating-point: only float32 and float64 tensors can be optimized`,
        );
      }
      if (!param.isLeaf) {
        throw typeError(
          this.name,
          `${at(i)} (${describeParam(param)}) is the output of '${param.gradFn?.op}', not a leaf: only leaves can be optimized`,
        );
      }
      if (seen.has(param))
        throw rangeError(this.name, `${at(i)} (${describeParam(param)}) appears more than once (in this group or an earlier one)`);
      seen.add(param);
    });
    const options = { ...this.defaults, ...group } as O;
    if (options.lr === undefined) {
      throw typeError(this.name, `lr is required: give it in the options (${this.name}(params, { lr })) or in every parameter group`);
    }
    this.checkOptions(this.name, options, this.optionSuffix(this.paramGroups.length));
    this.paramGroups.push({ ...copyOptions(options), params: [...params] } as ParamGroup<O>);
  }

  /**
   * One update of every parameter that has a gradient (`grad` not null), in place, without
   * recording a graph. `closure`, if given, is called first with recording on (to recompute the
   * loss and the gradients); its result is returned.
   */
  step<L>(closure?: () => L): L | undefined {
    const loss = closure === undefined ? undefined : withGradMode(true, closure);
    // Everything is checked before the first parameter changes: a bad option or gradient corrupts nothing.
    this.paramGroups.forEach((group, i) => this.checkOptions(this.name, group, this.optionSuffix(i)));
    this.forEachParam((param, index) => checkGradient(this.name, param, index));
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const param of group.params) {
          if (param.grad === null) continue;
          let state = this.state.get(param);
          if (state === undefined) this.state.set(param, (state = {}));
          this.updateParam(param, param.grad, state, group);
        }
      }
    });
    return loss;
  }

  /** Clears the gradients of every parameter (see the free function `zeroGrad`). */
  zeroGrad(options: ZeroGradOptions = {}): void {
    zeroGrad(
      this.paramGroups.flatMap((group) => group.params),
      options,
    );
  }

  /** A copy of the state and the groups' options, with parameters replaced by their numbers. */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    this.forEachParam((param, index) => {
      const entry = this.state.get(param);
      if (entry !== undefined) state[index] = copyState(entry);
    });
    let next = 0;
    for (const { params, ...options } of this.paramGroups) {
      paramGroups.push({ ...copyOptions(options), params: params.map(() => next++) });
    }
    return { optimizer: this.name, state, paramGroups };
  }

  /**
   * Restores a state saved by `stateDict()` from an optimizer of the same class over parameters of
   * the same shapes, grouped the same way. Everything is checked before anything changes.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const owner = `${this.name}.loadStateDict`;
    if (
      typeof stateDict !== 'object' ||
      stateDict === null ||
      !Array.isArray(stateDict.paramGroups) ||
      typeof stateDict.state !== 'object' ||
      stateDict.state === null
    ) {
      throw typeError(owner, `expected an object { optimizer, state, paramGroups } from stateDict(), got ${describe(stateDict)}`);
    }
    if (stateDict.optimizer !== this.name) {
      throw typeError(owner, `the state dict was saved by ${describe(stateDict.optimizer)}, not by ${this.name}`);
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw rangeError(owner, `the state dict has ${saved.length} parameter group(s) but this optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    const groups = saved.map((savedGroup, g) => {
      const { params: indices, initialLr, ...options } = savedGroup as Record<string, unknown>;
      const { params } = this.paramGroups[g];
      const where = `paramGroups[${g}]`;
      if (!Array.isArray(indices) || indices.length !== params.length) {
        throw rangeError(
          owner,
          `${where} holds ${Array.isArray(indices) ? indices.length : describe(indices)} parameter(s) but group ${g} of this optimizer holds ${params.length}`,
        );
      }
      indices.forEach((index, i) => byIndex.set(index as number, params[i]));
      checkKnownKeys(owner, where, options, this.optionNames);
      for (const name of this.optionNames) if (!(name in options)) throw typeError(owner, `${where} lacks the option '${name}'`);
      this.checkOptions(owner, options as unknown as O, ` of ${where}`);
      if (initialLr !== undefined && !(typeof initialLr === 'number' && initialLr >= 0)) {
        throw rangeError(owner, `initialLr of ${where} must be a number ≥ 0, got ${describe(initialLr)}`);
      }
      return { ...copyOptions(options), ...(initialLr === undefined ? {} : { initialLr }) };
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, entry] of Object.entries(stateDict.state)) {
      const param = byIndex.get(Number(key));
      if (param === undefined) throw rangeError(owner, `state has an entry for parameter ${key}, which no parameter group lists`);
      state.set(param, this.loadParamState(owner, `state[${key}]`, entry, param));
    }
    this.paramGroups.forEach((group, g) => {
      if (!('initialLr' in groups[g])) delete group.initialLr;
      Object.assign(group, groups[g]);
    });
    this.state.clear();
    for (const [param, entry] of state) this.state.set(param, entry);
  }

  /** Throws (naming `owner`, the option and its value) unless the options are valid. */
  protected abstract checkOptions(owner: string, options: O, where: string): void;

  /** Updates one parameter in place from its gradient; `state` starts as `{}`. Runs inside noGrad. */
  protected abstract updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void;

  /** Checks a saved per-parameter state against its parameter; returns a copy in the parameter's dtype. */
  protected abstract loadParamState(owner: string, where: string, entry: unknown, param: Tensor): ParamState;

  private forEachParam(fn: (param: Tensor, index: number) => void): void {
    let index = 0;
    for (const group of this.paramGroups) for (const param of group.params) fn(param, index++);
  }

  /** ' of parameter group 1' when the parameters come in groups, '' otherwise. */
  private optionSuffix(index: number): string {
    return this.grouped ? ` of parameter group ${index}` : '';
  }
}

function checkGradient(owner: string, param: Tensor, index: number): void {
  const grad: unknown = param.grad;
  if (grad === null) return;
  const which = `the gradient of parameter ${index} (${describeParam(param)})`;
  if (!(grad instanceof Tensor)) throw typeError(`${owner}.step`, `${which} must be a Tensor or null, got ${describe(grad)}`);
  if (formatShape(grad.shape) !== formatShape(param.shape)) {
    throw rangeError(`${owner}.step`, `${which} has shape ${formatShape(grad.shape)}`);
  }
  if (grad.dtype !== param.dtype) throw typeError(`${owner}.step`, `${which} is ${grad.dtype}`);
}

/** `'weight', shape [2, 3], float64` or `shape [3], float32`. */
export function describeParam(param: Tensor): string {
  return `${param.name === undefined ? '' : `'${param.name}', `}shape ${formatShape(param.shape)}, ${param.dtype}`;
}

function copyOptions<T extends object>(options: T): T {
  const copy = { ...options } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy)) if (Array.isArray(value)) copy[key] = [...value];
  return copy as T;
}

function copyState(entry: ParamState): ParamState {
  const copy: ParamState = {};
  for (const [key, value] of Object.entries(entry)) copy[key] = value instanceof Tensor ? value.clone() : value;
  return copy;
}
