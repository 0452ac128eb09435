import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { referenceAttention, referenceTraining } from './reference';
import { COMMAND_ONLY_DEPENDENCIES, LIBRARIES, PUBLISHED } from './packages';

/**
 * attograd from a user's side: a fresh project in the OS temp folder (outside the workspace, so
 * nothing resolves to workspace sources), the packed tarballs installed with plain npm, then the
 * same self-attention + gradcheck program as an ES module, a CommonJS script and TypeScript
 * (type-checked against the published declarations, then run), and a browser bundle of each
 * package.
 */
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const tarballs = inject('tarballs');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let project = '';

/** The environment of a shell outside pnpm: no npm_config_* or pnpm variables leak into npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|VITEST|NODE_OPTIONS$|NODE_PATH$|TURBO_)/i.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1' };
}

async function inProject(command: string, args: string[], cwd = project): Promise<{ stdout: string; stderr: string }> {
  return run(command, args, { cwd, env: cleanEnv(), maxBuffer: 64 << 20 });
}

/** A fresh project in the OS temp folder with `dependencies` installed from their tarballs by plain npm. */
async function installProject(prefix: string, dependencies: Record<string, string>): Promise<string> {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  // `overrides` pins every transitive @attograd/* dependency to its tarball too, never the registry.
  const overrides = Object.fromEntries(PUBLISHED.map((pkg) => [pkg.name, `file:${tarballs[pkg.name]}`]));
  const manifest = { name: prefix.replace(/-$/, ''), version: '1.0.0', private: true, dependencies, overrides };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(here, '../fixtures'), folder, { recursive: true });
  await inProject('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], folder);
  return folder;
}

/** Every package folder in a project's node_modules, scoped ones as `@scope/name`, nested ones included. */
function installedPackages(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules)
    .filter((entry) => !entry.startsWith('.'))
    .flatMap((entry) => (entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((name) => `${entry}/${name}`) : [entry]))
    .flatMap((name) => [name, ...installedPackages(join(nodeModules, name, 'node_modules'))]);
}

/** Runs `node file` in the project and parses the one JSON line it prints. */
async function runProgram(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await inProject(process.execPath, [file]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  project = await installProject(
    'attograd-consumer-',
    Object.fromEntries(PUBLISHED.map((pkg) => [pkg.name, `file:${tarballs[pkg.name]}`])),
  );
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('installed with npm from the tarballs', () => {
  it('resolves every @attograd package to its tarball, once, with no nested copy', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    const attogradEntries = Object.keys(lock.packages).filter((path) => /node_modules\/(@attograd\/[^/]+|attograd)$/.test(path));
    expect(attogradEntries.sort()).toEqual(PUBLISHED.map((pkg) => `node_modules/${pkg.name}`).sort());
    for (const pkg of PUBLISHED) {
      const resolved = lock.packages[`node_modules/${pkg.name}`].resolved ?? '';
      expect(resolved.startsWith('file:') && resolve(project, resolved.slice('file:'.length))).toBe(tarballs[pkg.name]);
    }
  });

  it('has a working `attograd` command (from @attograd/cli)', async () => {
    const { stdout } = await inProject(join(project, 'node_modules/.bin/attograd'), ['--help']);
    expect(stdout).toMatch(/Usage: attograd/);
    expect(stdout).toMatch(/check/);
    expect(stdout).toMatch(/explain/);
    const target = realpathSync(join(project, 'node_modules/.bin/attograd'));
    expect(target).toBe(join(project, 'node_modules/@attograd/cli/dist/cli.js'));
  });

  it('`attograd check` runs a real check from the installed command', async () => {
    const { stdout } = await inProject(join(project, 'node_modules/.bin/attograd'), ['check', 'mul', '--json']);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ name: string; status: string }> };
    expect(report.ok).toBe(true);
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.every((check) => check.name.startsWith('mul') && check.status === 'pass')).toBe(true);
  });
});

describe('the library alone: `npm install attograd` from its tarball', () => {
  let libraryProject = '';

  beforeAll(async () => {
    libraryProject = await installProject('attograd-library-only-', { attograd: `file:${tarballs.attograd}` });
  });

  afterAll(() => {
    if (libraryProject) rmSync(libraryProject, { recursive: true, force: true });
  });

  it('installs the library packages and nothing else: no CLI dependency, no native binary, no command', () => {
    const installed = installedPackages(join(libraryProject, 'node_modules'));
    expect(installed.sort()).toEqual(LIBRARIES.map((pkg) => pkg.name).sort());
    for (const name of COMMAND_ONLY_DEPENDENCIES) {
      expect(
        installed.filter((entry) => entry === name || entry.startsWith(`${name}/`)),
        name,
      ).toEqual([]);
    }
    expect(existsSync(join(libraryProject, 'node_modules/.bin/attograd'))).toBe(false);
  });

  it('runs the same ESM program with the same numbers as the full install', async () => {
    const [alone, full] = await Promise.all([
      inProject(process.execPath, ['esm.mjs'], libraryProject),
      inProject(process.execPath, ['esm.mjs']),
    ]);
    expect(JSON.parse(alone.stdout)).toEqual(JSON.parse(full.stdout));
    expect(JSON.parse(alone.stdout)).toMatchObject({ gradcheck: { ok: true } });
  });
});

describe('the same program from ESM, CommonJS and TypeScript', () => {
  let esm: Record<string, unknown>;

  beforeAll(async () => {
    esm = await runProgram('esm.mjs');
  });

  it('(a) ESM import: self-attention matches an independent reference, and gradcheck passes', () => {
    expect(esm.sameObjects).toBe(true);
    expect(esm.shape).toEqual([4, 6]);
    const reference = referenceAttention(esm as never, 4, 6);
    const z = esm.z as number[];
    const dWv = esm.dWv as number[];
    for (let i = 0; i < z.length; i++) expect(Math.abs(z[i] - reference.z[i])).toBeLessThan(1e-12 * (1 + Math.abs(reference.z[i])));
    for (let i = 0; i < dWv.length; i++) expect(Math.abs(dWv[i] - reference.dWv[i])).toBeLessThan(1e-12 * (1 + Math.abs(reference.dWv[i])));
    expect(esm.gradcheck).toMatchObject({ ok: true, checked: 4 });
    expect((esm.gradcheck as { maxAbsError: number }).maxAbsError).toBeLessThan(1e-6);
  });

  it('(b) CommonJS require: the same objects through every package, the same numbers as ESM', async () => {
    const cjs = await runProgram('cjs.cjs');
    expect(cjs).toEqual(esm);
  });

  it('(c) TypeScript: the program type-checks (nodenext ESM and CJS, bundler) and runs with the same numbers', async () => {
    await Promise.all(
      ['tsconfig.nodenext.json', 'tsconfig.bundler.json'].map((config) => inProject(process.execPath, [tsc, '-p', config])),
    );
    const numbers = ({ sameObjects, weightsShape, ...rest }: Record<string, unknown>) => rest;
    const typedEsm = await runProgram('out/typed.mjs');
    const typedCjs = await runProgram('out/typed.cjs');
    expect(typedEsm.weightsShape).toEqual([4, 6]);
    expect(numbers(typedEsm)).toEqual(numbers(esm));
    expect(numbers(typedCjs)).toEqual(numbers(esm));
  });

  it('(c) TypeScript: the published types are real — each marked mistake is reported on its line', async () => {
    const failure = await inProject(process.execPath, [tsc, '-p', 'tsconfig.wrong.json']).then(
      () => null,
      (error: { stdout: string }) => error.stdout,
    );
    expect(failure, 'wrong-types.mts type-checked without errors').not.toBeNull();
    // Each "// expect TSxxxx" comment marks the line and the code of one error tsc must report.
    const expected = readFileSync(join(project, 'wrong-types.mts'), 'utf8')
      .split('\n')
      .flatMap((text, index) => {
        const marker = /expect (TS\d+)/.exec(text);
        return marker ? [{ at: `wrong-types.mts(${index + 1},`, code: `error ${marker[1]}:` }] : [];
      });
    const reported = (failure ?? '').split('\n').filter((line) => line.startsWith('wrong-types.mts('));
    expect(reported).toHaveLength(expected.length);
    for (const { at, code } of expected) {
      expect(
        reported.some((line) => line.startsWith(at) && line.includes(code)),
        `${at} ${code}\n${failure}`,
      ).toBe(true);
    }
  });
});

describe('a training loop (AdamW, clipGradNorm, CosineAnnealingLR) from ESM, CommonJS and TypeScript', () => {
  it('gives the numbers of an independent plain-loop AdamW, the same from every module system, and the loss falls', async () => {
    const esm = await runProgram('train.mjs');
    const cjs = await runProgram('train.cjs');
    await inProject(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json']); // type-checks and compiles train-typed.mts
    const typed = await runProgram('out/train-typed.mjs');
    expect(esm.sameObjects).toBe(true);
    expect(cjs).toEqual(esm);
    expect(typed).toEqual(esm);
    const reference = referenceTraining();
    for (const key of ['w', 'losses', 'norms'] as const) {
      const actual = esm[key] as number[];
      expect(actual).toHaveLength(reference[key].length);
      actual.forEach((value, i) => expect(Math.abs(value - reference[key][i])).toBeLessThan(1e-12 * (1 + Math.abs(reference[key][i]))));
    }
    const losses = esm.losses as number[];
    expect(losses[losses.length - 1]).toBeLessThan(0.01 * losses[0]);
  });
});

describe('a tiny GPT (AdamW steps, safetensors round trip, seeded sampling) from ESM, CommonJS and TypeScript', () => {
  it('trains, reloads its weights to the same logits and samples, and gives the same numbers from every module system', async () => {
    const esm = await runProgram('gpt.mjs');
    const cjs = await runProgram('gpt.cjs');
    await inProject(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json']); // type-checks and compiles gpt-typed.mts
    const typed = await runProgram('out/gpt-typed.mjs');
    expect(esm.sameObjects).toBe(true);
    expect(cjs).toEqual(esm);
    expect(typed).toEqual(esm);
    const losses = esm.losses as number[];
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    expect(esm.reloadedLogits).toEqual(esm.logits);
    expect(esm.reloadedSamples).toEqual(esm.samples);
    expect(esm.samples as number[]).toHaveLength(7);
    // The safetensors header is plain JSON with PyTorch-style names, dtype and byte ranges.
    const header = JSON.parse(esm.header as string) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    expect(header['blocks.0.attention.in_proj_weight']).toMatchObject({ dtype: 'F64', shape: [24, 8] });
    expect(header['tokenEmbedding.weight'].data_offsets).toEqual([0, 6 * 8 * 8]);
  });
});

/** The ```js blocks of a README, each with the ```text block that follows it after "prints", if any. */
function readmeExamples(readme: string): Array<{ code: string; prints: string | null }> {
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```(?:\s*prints\s*```text\n([\s\S]*?)```)?/g)];
  return blocks.map((block) => ({ code: block[1], prints: block[2] ?? null }));
}

describe("each package's README, as shipped in its tarball", () => {
  // The packages whose README this repository's release work owns must show a runnable example.
  const mustHaveExample = new Set(['@attograd/tensor', '@attograd/ops', '@attograd/attention', '@attograd/optim', '@attograd/nn']);

  it.each(PUBLISHED.map((pkg) => pkg.name))('%s: every ```js example runs and prints what the README says', async (name) => {
    const readme = readFileSync(join(project, 'node_modules', name, 'README.md'), 'utf8');
    const examples = readmeExamples(readme);
    if (mustHaveExample.has(name)) expect(examples.length, `${name}/README.md has no \`\`\`js example`).toBeGreaterThan(0);
    for (const [index, example] of examples.entries()) {
      const file = `readme-${name.replace(/\W/g, '-')}-${index}.mjs`;
      writeFileSync(join(project, file), example.code);
      const { stdout } = await inProject(process.execPath, [file]);
      if (example.prints !== null) expect(stdout).toBe(example.prints);
    }
  });
});

describe("the repository README's examples, as a user copies them", () => {
  const rootReadme = readFileSync(join(here, '../../../README.md'), 'utf8');
  // Every ```ts program (a block that imports; the others sketch a shape, like a record's fields),
  // and every ```js block whose output the README shows ("prints").
  const typedBlocks = (readme: string, withJs: boolean) => [
    ...[...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((block) => block[1] ?? '').filter((code) => /^import .* from '/m.test(code)),
    ...(withJs
      ? readmeExamples(readme)
          .filter((example) => example.prints !== null)
          .map((example) => example.code)
      : []),
  ];

  it('the root and umbrella READMEs: each ts program and each printed js example type-checks under strict + noUncheckedIndexedAccess', async () => {
    // The library's README (as installed) and the command's (the defineOp `myMatmul` check) with the
    // root's. The other packages' ts snippets are not all strict-clean yet (indexing without `!`, fragments).
    const umbrella = readFileSync(join(project, 'node_modules', 'attograd', 'README.md'), 'utf8');
    const command = readFileSync(join(here, '../../../packages/cli/README.md'), 'utf8');
    const blocks = [...typedBlocks(rootReadme, true), ...typedBlocks(umbrella, false), ...typedBlocks(command, false)];
    expect(blocks.some((code) => code.includes('myMatmul'))).toBe(true); // the defineOp example is among them
    // Each block is its own module (export {} keeps its top-level names to itself).
    blocks.forEach((code, index) => writeFileSync(join(project, `readme-ts-${index}.mts`), `${code}\nexport {};\n`));
    const failure = await inProject(process.execPath, [tsc, '-p', 'tsconfig.readme.json']).then(
      () => null,
      (error: { stdout: string }) => error.stdout,
    );
    expect(failure).toBeNull();
  });

  it('each ```js example that shows its output runs and prints exactly that', async () => {
    const examples = readmeExamples(rootReadme).filter((example) => example.prints !== null);
    expect(examples.length).toBeGreaterThanOrEqual(2); // "A taste" and "A transformer in under 40 lines"
    for (const [index, example] of examples.entries()) {
      const file = `readme-root-${index}.mjs`;
      writeFileSync(join(project, file), example.code);
      const { stdout } = await inProject(process.execPath, [file]);
      expect(stdout).toBe(example.prints);
    }
  });
});

describe('bundled for a browser (esbuild, platform: browser)', () => {
  it.each(LIBRARIES.map((pkg) => pkg.name))('%s bundles with no Node built-in', async (name) => {
    const entry = join(project, `browser-${name.replace(/\W/g, '-')}.mjs`);
    writeFileSync(entry, `export * from '${name}';\n`);
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: project,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const [output] = Object.values(result.metafile.outputs);
    expect(output.imports).toEqual([]); // nothing left for a browser to resolve
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((input) => input.startsWith('node_modules/') || input.startsWith('browser-'))).toBe(true);
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/["'`]node:/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bprocess\.(env|argv|stdout|exit)/);
  });
});
