import { describe, formatShape, noGrad, rangeError, Tensor, typeError } from '@attograd/tensor';

/**
 * The container every layer is built from, after PyTorch's `nn.Module`: a module owns named
 * parameters (leaf tensors that require gradients) and named child modules. Names are joined with
 * dots on the way down (`blocks.0.attention.in_proj_weight`), so a whole model's weights form
 * one flat, ordered list — the state dict — that can be saved, loaded and compared with
 * PyTorch's.
 *
 * Each layer defines its own `forward` (its arguments differ from layer to layer); the base class
 * only keeps the bookkeeping.
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`. Dropout reads it. */
  training = true;
  readonly #parameters = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /**
   * Registers `value` as a parameter called `name` and marks it as requiring gradients. Returns
   * the tensor, so a constructor can write `this.weight = this.addParameter('weight', w)`.
   */
  protected addParameter(name: string, value: Tensor): Tensor {
    this.#checkNewName('addParameter', name);
    if (!(value instanceof Tensor))
      throw typeError(`${this.constructor.name}.addParameter`, `${name} must be a Tensor, got ${describe(value)}`);
    if (!value.isLeaf) {
      throw typeError(
        `${this.constructor.name}.addParameter`,
        `${name} must be a leaf tensor (made by you, not by an op); detach() it first`,
      );
    }
    value.requiresGrad = true;
    this.#parameters.set(name, value);
    return value;
  }

  /** Registers `module` as a child called `name` and returns it. */
  protected addModule<M extends Module>(name: string, module: M): M {
    this.#checkNewName('addModule', name);
    if (!(module instanceof Module))
      throw typeError(`${this.constructor.name}.addModule`, `${name} must be a Module, got ${describe(module)}`);
    this.#children.set(name, module);
    return module;
  }

  #checkNewName(method: string, name: string): void {
    const where = `${this.constructor.name}.${method}`;
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw typeError(where, `a name must be a non-empty string without dots, got ${describe(name)}`);
    }
    if (this.#parameters.has(name) || this.#children.has(name))
      throw rangeError(where, `the name ${JSON.stringify(name)} is already taken`);
  }

  /** The direct children, in the order they were added, with their names. */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /** This module and every module below it, depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.#children) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  /**
   * Every parameter of this module and its descendants with its dotted name, in registration
   * order. A tensor registered twice (tied weights) is listed once, under its first name.
   *
   * @example
   * new Linear(3, 2).namedParameters().map(([name]) => name) // ['weight', 'bias']
   */
  namedParameters(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [name, value] of this.#allParameters()) {
      if (seen.has(value)) continue;
      seen.add(value);
      out.push([name, value]);
    }
    return out;
  }

  /** Every parameter (each tensor once), in the order of `namedParameters()`. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, value]) => value);
  }

  /** The number of trainable numbers: the total size of `parameters()`. */
  parameterCount(): number {
    return this.parameters().reduce((total, p) => total + p.size, 0);
  }

  /** Every (name, parameter) pair, duplicates included (the state dict keeps every name). */
  /**
   * Runs `fn` with this module's parameters (in `parameters()` order) replaced by `replacements`
   * of the same shapes, then puts the originals back, even when `fn` throws (PyTorch's
   * `torch.func.functional_call`). The layer then computes with the given tensors, so gradients
   * flow to them: this makes a layer a pure function of its input and its parameters, as
   * `jvp`, `gradgradcheck` and the layer case table need.
   *
   * @throws RangeError when the count or a shape differs.
   * @example
   * const y = layer.withParameters([w, b], () => layer.forward(x)); // d y / d w reaches w
   */
  withParameters<T>(replacements: readonly Tensor[], fn: () => T): T {
    const where = `${this.constructor.name}.withParameters`;
    const originals = this.parameters();
    if (!Array.isArray(replacements) || replacements.length !== originals.length) {
      throw rangeError(where, `expected ${originals.length} parameters (as parameters()), got ${describe(replacements)}`);
    }
    const swap = new Map<Tensor, Tensor>();
    originals.forEach((original, i) => {
      const replacement = replacements[i];
      if (!(replacement instanceof Tensor) || !sameShape(replacement.shape, original.shape)) {
        throw rangeError(where, `parameter ${i} must be a Tensor of shape ${formatShape(original.shape)}, got ${describe(replacement)}`);
      }
      swap.set(original, replacement);
    });
    const undo = new Map<Tensor, Tensor>([...swap].map(([original, replacement]) => [replacement, original]));
    this.#replaceParameters(swap);
    try {
      return fn();
    } finally {
      this.#replaceParameters(undo);
    }
  }

  /** Replaces every reference to a parameter (the registry and the fields that hold it) in this module and its children. */
  #replaceParameters(swap: Map<Tensor, Tensor>): void {
    for (const [, module] of this.namedModules()) {
      for (const [name, value] of module.#parameters) {
        const next = swap.get(value);
        if (next !== undefined) module.#parameters.set(name, next);
      }
      const fields = module as unknown as Record<string, unknown>;
      for (const key of Object.keys(fields)) {
        const next = swap.get(fields[key] as Tensor);
        if (next !== undefined) fields[key] = next;
      }
    }
  }

  #allParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, module] of this.namedModules()) {
      for (const [own, value] of module.#parameters) out.push([name ? `${name}.${own}` : own, value]);
    }
    return out;
  }

  /** Sets training mode on this module and every descendant (`train(false)` is `eval()`). */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** Evaluation mode: dropout becomes the identity. */
  eval(): this {
    return this.train(false);
  }

  /** Forgets every parameter's accumulated gradient (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * A copy of every parameter, by dotted name, in registration order. The copies share nothing
   * with the module: changing them changes nothing here (load them back with `loadStateDict`).
   */
  stateDict(): Record<string, Tensor> {
    const state: Record<string, Tensor> = {};
    for (const [name, value] of this.#allParameters()) state[name] = new Tensor(value.data.slice(), value.shape);
    return state;
  }

  /**
   * Copies values into the parameters, by name. Every name and shape is checked before anything is
   * written, so a failed load changes nothing. Values of another dtype are converted.
   *
   * @param state name → tensor, as `stateDict()` returns it (or as `decodeSafetensors` reads it).
   * @param options `strict` (default true): missing and unexpected names are errors; with
   * `strict: false` they are skipped and returned.
   * @returns the names the module has but `state` lacks, and the names `state` has but the module lacks.
   * @throws TypeError when state is not an object of tensors; RangeError listing every missing or
   * unexpected name and every shape that differs.
   */
  loadStateDict(state: Record<string, Tensor>, options: { strict?: boolean } = {}): { missing: string[]; unexpected: string[] } {
    const fn = `${this.constructor.name}.loadStateDict`;
    if (state === null || typeof state !== 'object' || Array.isArray(state) || state instanceof Tensor) {
      throw typeError(fn, `state must be an object of name → Tensor, got ${describe(state)}`);
    }
    const own = this.#allParameters();
    const names = new Set(own.map(([name]) => name));
    const missing = own.map(([name]) => name).filter((name) => !Object.hasOwn(state, name));
    const unexpected = Object.keys(state).filter((name) => !names.has(name));
    const problems: string[] = [];
    for (const [name, value] of Object.entries(state)) {
      if (!(value instanceof Tensor)) problems.push(`${name} must be a Tensor, got ${describe(value)}`);
    }
    if (problems.length > 0) throw typeError(fn, problems.join('; '));
    const strict = options.strict ?? true;
    if (strict && missing.length > 0)
      problems.push(`missing ${missing.map((name) => `${name} ${formatShape(shapeOf(own, name))}`).join(', ')}`);
    if (strict && unexpected.length > 0)
      problems.push(`unexpected ${unexpected.map((name) => `${name} ${formatShape(state[name].shape)}`).join(', ')}`);
    for (const [name, target] of own) {
      const source = state[name];
      if (source !== undefined && !sameShape(source.shape, target.shape)) {
        problems.push(`${name} has shape ${formatShape(source.shape)} in state but ${formatShape(target.shape)} in the module`);
      }
    }
    if (problems.length > 0) throw rangeError(fn, `${problems.join('; ')}`);
    noGrad(() => {
      for (const [name, target] of own) {
        const source = state[name];
        if (source !== undefined) target.copy_(source);
      }
    });
    return { missing, unexpected };
  }
}

function shapeOf(list: [string, Tensor][], name: string): readonly number[] {
  return list.find(([n]) => n === name)![1].shape;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/**
 * An ordered list of modules, registered as children named `0`, `1`, … (PyTorch's
 * `nn.ModuleList`): their parameters appear as `blocks.0.…`, `blocks.1.…`.
 *
 * @example
 * const blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * for (const layer of blocks) x = layer.forward(x);
 */
export class ModuleList<M extends Module = Module> extends Module {
  readonly #items: M[] = [];

  constructor(modules: readonly M[] = []) {
    super();
    for (const module of modules) this.push(module);
  }

  /** Appends a module (named by its index). */
  push(module: M): this {
    this.#items.push(this.addModule(String(this.#items.length), module));
    return this;
  }

  /** The module at `index`. */
  at(index: number): M {
    const item = this.#items[index];
    if (item === undefined) throw rangeError('ModuleList.at', `index ${index} is out of range for a list of ${this.#items.length}`);
    return item;
  }

  get length(): number {
    return this.#items.length;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }
}
