import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, Tensor } from '@attograd/tensor';
import { printable } from '../printable';
import type { CheckCase, CheckSpec } from './types';

/**
 * Loading the user's own checks: a `.js`, `.mjs`, `.cjs`, `.ts`, `.mts` or `.cts` module, in a
 * project with or without `"type": "module"`, whose default export (`module.exports` in
 * CommonJS) is one check `{ name, fn, inputs }` or an array of them. TypeScript loads through
 * tsx's hooks, without a build step.
 */

/**
 * A module that cannot be loaded or does not export valid checks: exit status 2.
 *
 * @example
 * throw new ModuleLoadError(`${path}: no such file`);
 */
export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError';
}

/**
 * What a user module exports (one, or an array). `inputNames` (optional) names the inputs in
 * reports, else each tensor's `name` or `input0`, `input1`, … is used. `stages` (optional) are checks of the
 * parts of a composite `fn`, checked in order when it fails, to say which part goes wrong first.
 *
 * @example
 * export default { name: 'cube', fn: (x) => cube([x], {}), inputs: () => [randn([3], { rng: rng(1), requiresGrad: true })] } satisfies UserCheck;
 */
export interface UserCheck {
  name: string;
  fn: (...inputs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
  inputNames?: string[];
  stages?: UserCheck[];
}

const TYPESCRIPT = ['.ts', '.mts', '.cts'];
const JAVASCRIPT = ['.js', '.mjs', '.cjs'];

/**
 * True for a target that should be read as a path rather than a built-in name.
 *
 * @example
 * looksLikePath('./my-op.check.ts') // true; looksLikePath('softmax') // false
 */
export function looksLikePath(target: string): boolean {
  return /[\\/]/.test(target) || [...TYPESCRIPT, ...JAVASCRIPT].includes(extname(target)) || existsSync(target);
}

/**
 * Imports the module at `path` (relative to the working directory) and returns its checks.
 *
 * @throws ModuleLoadError naming the file and what is wrong: missing, not a module type we load,
 *   failing to import, no default export, or a check without a valid name, fn or inputs.
 * @example
 * const specs = await loadUserChecks('./my-op.check.ts');
 */
export async function loadUserChecks(path: string): Promise<CheckSpec[]> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new ModuleLoadError(`${path}: no such file`);
  if (!statSync(absolute).isFile()) throw new ModuleLoadError(`${path}: is a directory, not a module file`);
  const extension = extname(absolute);
  if (![...TYPESCRIPT, ...JAVASCRIPT].includes(extension)) {
    throw new ModuleLoadError(
      `${path}: not a module attograd can load (expected .js, .mjs, .cjs, .ts, .mts or .cts, got '${extension || 'no extension'}')`,
    );
  }
  const exported = await importDefault(path, absolute, TYPESCRIPT.includes(extension));
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw new ModuleLoadError(`${path}: the default export is an empty array; export at least one check`);
  return list.map((check, i) => specOf(path, absolute, check, [i], Array.isArray(exported) ? `check ${i}` : 'the default export'));
}

async function importDefault(path: string, absolute: string, typescript: boolean): Promise<unknown> {
  let module: { default?: unknown };
  try {
    if (typescript) await registerTypeScript();
    module = await import(pathToFileURL(absolute).href);
  } catch (error) {
    throw new ModuleLoadError(`${path}: the module failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
  const exported = defaultOf(module.default);
  if (exported === undefined) {
    throw new ModuleLoadError(`${path}: no default export; write \`export default { name, fn, inputs }\` (or an array of such checks)`);
  }
  return exported;
}

/**
 * The default export of a module as `import()` returns it. For a CommonJS module, `import()`
 * gives `module.exports` as the default; when that is compiled ESM (`exports.default = …` with
 * the `__esModule` flag, as tsx compiles a `.cts` file or a `.ts` file in a CommonJS project),
 * the check is its `default`.
 */
function defaultOf(exported: unknown): unknown {
  if (exported !== null && typeof exported === 'object' && (exported as { __esModule?: unknown }).__esModule === true) {
    return (exported as { default?: unknown }).default;
  }
  return exported;
}

let typescriptHooks: Promise<void> | null = null;

/**
 * Loads TypeScript in both module systems, once per thread: tsx's ESM hooks (for `import()` of
 * a `.ts`/`.mts` file, and of a `.ts`/`.cts` file that belongs to CommonJS, which Node hands to
 * `require`) and its CommonJS hooks (for that `require` and the ones inside the module). With the
 * ESM hooks alone, a `.ts` file in a project without `"type": "module"` fails with "Cannot
 * require() ES Module … in a cycle". They are `register()`ed rather than used through
 * `tsImport()`, which would load the module graph under its own namespace and so a second copy
 * of attograd; and they stay registered, so that a module's lazy `import()` or `require()` of
 * another TypeScript file works later too.
 */
function registerTypeScript(): Promise<void> {
  typescriptHooks ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })();
  return typescriptHooks;
}

/** Validates one exported check and turns it into a spec. */
function specOf(path: string, absolute: string, check: unknown, index: number[], where: string): CheckSpec {
  const fail = (what: string): never => {
    throw new ModuleLoadError(`${path}: ${where} ${what}; a check is { name: string, fn: (...inputs) => Tensor, inputs: () => Tensor[] }`);
  };
  if (check === null || typeof check !== 'object') fail(`is ${describe(check)}, not a check object`);
  const c = check as Partial<UserCheck>;
  // Names are printed and written into reports: no escape sequences or control characters.
  if (typeof c.name !== 'string' || printable(c.name) === '') fail(`has no name (got ${printable(describe(c.name))})`);
  const name = printable(c.name as string);
  const label = `${where} ('${name}')`;
  if (typeof c.fn !== 'function') fail(`('${name}'): fn must be a function, got ${describe(c.fn)}`);
  if (typeof c.inputs !== 'function') fail(`('${name}'): inputs must be a function returning the tensors, got ${describe(c.inputs)}`);
  if (c.inputNames !== undefined && (!Array.isArray(c.inputNames) || c.inputNames.some((n) => typeof n !== 'string'))) {
    fail(`('${name}'): inputNames must be an array of strings, got ${describe(c.inputNames)}`);
  }
  if (c.stages !== undefined && !Array.isArray(c.stages)) fail(`('${name}'): stages must be an array of checks, got ${describe(c.stages)}`);
  const user = c as UserCheck;
  const build = (): CheckCase => buildCase(path, label, user);
  build(); // inputs() is part of the module's contract: check it now, before anything runs
  return {
    name,
    kind: 'user',
    source: { kind: 'user', path: absolute, index },
    build,
    stages: user.stages?.map((stage, j) => specOf(path, absolute, stage, [...index, j], `${label} stage ${j}`)),
  };
}

function buildCase(path: string, label: string, check: UserCheck): CheckCase {
  let inputs: unknown;
  try {
    inputs = check.inputs();
  } catch (error) {
    throw new ModuleLoadError(`${path}: ${label}: inputs() threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ModuleLoadError(`${path}: ${label}: inputs() must return a non-empty array of tensors, got ${describe(inputs)}`);
  }
  inputs.forEach((input, i) => {
    if (input instanceof Tensor) return;
    const copy =
      input !== null && typeof input === 'object' && (input as { constructor?: { name?: string } }).constructor?.name?.includes('Tensor');
    const hint = copy ? " (a Tensor from another copy of attograd: import from the 'attograd' this command runs from)" : '';
    throw new ModuleLoadError(`${path}: ${label}: inputs()[${i}] is ${describe(input)}, not a Tensor${hint}`);
  });
  const tensors = inputs as Tensor[];
  if (!tensors.some((t) => t.requiresGrad)) {
    throw new ModuleLoadError(
      `${path}: ${label}: no input requires gradients, so there is nothing to check; create the inputs to check with { requiresGrad: true }`,
    );
  }
  const inputNames = tensors.map((t, i) => printable(check.inputNames?.[i] ?? t.name ?? '') || `input${i}`);
  return { fn: check.fn, inputs: tensors, inputNames };
}

/**
 * The check at `index` of the module at `absolute` (as a worker thread finds it again).
 *
 * @example
 * const stage = await userCheckAt('/abs/path/check.ts', [0, 2]); // stage 2 of the first check
 */
export async function userCheckAt(absolute: string, index: readonly number[]): Promise<CheckSpec> {
  let spec: CheckSpec | undefined = (await loadUserChecks(absolute))[index[0]];
  for (const j of index.slice(1)) spec = spec?.stages?.[j];
  if (spec === undefined) throw new ModuleLoadError(`${absolute}: no check at position ${index.join('.')}`);
  return spec;
}
