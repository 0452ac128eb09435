import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { LIBRARIES, PUBLISHED } from './packages';

/**
 * Each packed tarball, linted as npm would publish it: publint (package.json fields, exports,
 * files) in strict mode, and arethetypeswrong (the types every resolution mode — node10, node16
 * from CJS and from ESM, bundler — would see), plus what the tarball holds.
 */
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const tarballs = inject('tarballs');

/** Path of a dev dependency's CLI script, through its package.json `bin` (not every package exports ./package.json). */
function binOf(pkg: string, name: string): string {
  const folder = join(here, '../node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  return join(folder, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name]);
}

/** Runs a Node CLI; resolves with its exit status and everything it printed. */
async function runCli(script: string, args: string[]): Promise<{ status: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    return { status: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function tarList(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.replace(/^package\//, ''));
}

async function packedManifest(tarball: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
  return JSON.parse(stdout) as Record<string, unknown>;
}

const publint = binOf('publint', 'publint');
const attw = binOf('@arethetypeswrong/cli', 'attw');

describe.concurrent.each(LIBRARIES.map((pkg) => pkg.name))('%s tarball (a library)', (name) => {
  const tarball = tarballs[name];

  it('passes publint --strict', async () => {
    const { status, output } = await runCli(publint, ['run', '--strict', tarball]);
    expect(output).toContain('All good!');
    expect(status, output).toBe(0);
  });

  it('passes arethetypeswrong in every resolution mode', async () => {
    const { status, output } = await runCli(attw, [tarball, '--format', 'table-flipped']);
    expect(status, output).toBe(0);
    for (const mode of ['node10', 'node16 (from CJS)', 'node16 (from ESM)', 'bundler']) expect(output).toContain(mode);
    expect(output).toContain('No problems found');
  });

  it('holds ESM, CJS, both declaration flavours, README and LICENSE, and no tests', async () => {
    const files = await tarList(tarball);
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
      expect(files, `${name} is missing ${file}`).toContain(file);
    }
    expect(files.filter((file) => /\.test\.ts$|test-ops\.ts$/.test(file))).toEqual([]);
  });

  it('has publishable metadata and no workspace: dependency left', async () => {
    const manifest = await packedManifest(tarball);
    expect(manifest).toMatchObject({
      name,
      license: 'MIT',
      sideEffects: false,
      engines: { node: '>=20' },
      publishConfig: { access: 'public' },
      repository: { type: 'git' },
    });
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
    const exports = manifest.exports as Record<string, Record<string, Record<string, string>>>;
    // `types` must come first in each condition block, or TypeScript may never reach it.
    expect(Object.keys(exports['.'].import)[0]).toBe('types');
    expect(Object.keys(exports['.'].require)[0]).toBe('types');
    expect(exports['./package.json']).toBe('./package.json');
  });
});

describe.concurrent.each(PUBLISHED.filter((pkg) => pkg.kind === 'command').map((pkg) => pkg.name))('%s tarball (the command)', (name) => {
  const tarball = tarballs[name];

  it('passes publint --strict', async () => {
    const { status, output } = await runCli(publint, ['run', '--strict', tarball]);
    expect(output).toContain('All good!');
    expect(status, output).toBe(0);
  });

  it('holds the command, its worker, README and LICENSE, and no tests', async () => {
    const files = await tarList(tarball);
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/check/worker.js']) {
      expect(files, `${name} is missing ${file}`).toContain(file);
    }
    expect(files.filter((file) => /\.test\.ts$/.test(file))).toEqual([]);
  });

  it('declares the `attograd` bin, depends on the library, and has no workspace: dependency left', async () => {
    const manifest = await packedManifest(tarball);
    expect(manifest).toMatchObject({
      name,
      license: 'MIT',
      engines: { node: '>=20' },
      publishConfig: { access: 'public' },
      repository: { type: 'git' },
      bin: { attograd: './dist/cli.js' },
    });
    const dependencies = (manifest.dependencies ?? {}) as Record<string, string>;
    expect(Object.keys(dependencies)).toContain('attograd');
    expect(JSON.stringify(dependencies)).not.toContain('workspace:');
  });
});

describe.concurrent.each(PUBLISHED.filter((pkg) => pkg.kind === 'app').map((pkg) => pkg.name))(
  '%s tarball (an app the command uses)',
  (name) => {
    const tarball = tarballs[name];

    it('passes publint --strict and arethetypeswrong', async () => {
      const lint = await runCli(publint, ['run', '--strict', tarball]);
      expect(lint.output).toContain('All good!');
      expect(lint.status, lint.output).toBe(0);
      const types = await runCli(attw, [tarball, '--format', 'table-flipped']);
      expect(types.status, types.output).toBe(0);
    });

    it('holds its Node API, the built self-contained page, README and LICENSE, and no tests', async () => {
      const files = await tarList(tarball);
      for (const file of [
        'package.json',
        'README.md',
        'LICENSE',
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/explorer.html',
      ]) {
        expect(files, `${name} is missing ${file}`).toContain(file);
      }
      expect(files.filter((file) => /\.test\.ts$/.test(file))).toEqual([]);
    });

    it('depends on attograd packages only (the page bundles KaTeX at build time), no workspace: left', async () => {
      const manifest = await packedManifest(tarball);
      const dependencies = Object.keys((manifest.dependencies ?? {}) as Record<string, string>);
      expect(dependencies.length).toBeGreaterThan(0);
      expect(dependencies.filter((dependency) => !dependency.startsWith('@attograd/') && dependency !== 'attograd')).toEqual([]);
      expect(JSON.stringify(manifest.dependencies)).not.toContain('workspace:');
    });
  },
);
