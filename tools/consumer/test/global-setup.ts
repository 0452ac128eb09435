import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { PUBLISHED, WORKSPACE, type Tarballs } from './packages';

const run = promisify(execFile);

/**
 * pnpm's own entry point when the tests run under `pnpm test` (npm_execpath), else `npx pnpm@10`.
 * Only pnpm can pack: it rewrites `workspace:*` dependencies to the versions being published.
 */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath ?? '';
  if (/pnpm(\.c?js)?$/.test(execPath)) return [process.execPath, [execPath]];
  return ['npx', ['-y', 'pnpm@10']];
}

/** `pnpm pack` of one package into `destination`; returns the tarball's path. */
async function pack(folder: string, destination: string): Promise<string> {
  const [command, prefix] = pnpmCommand();
  const { stdout } = await run(command, [...prefix, 'pack', '--pack-destination', destination], {
    cwd: join(WORKSPACE, folder),
    maxBuffer: 16 << 20,
  });
  const tarball = stdout.trim().split('\n').pop() ?? '';
  if (!tarball.endsWith('.tgz')) throw new Error(`pnpm pack in ${folder} printed no tarball path:\n${stdout}`);
  return tarball;
}

/** Packs every published package (their dist must be built: turbo runs ^build first). */
export default async function setup(project: TestProject): Promise<() => void> {
  const destination = mkdtempSync(join(tmpdir(), 'attograd-packs-'));
  const paths = await Promise.all(PUBLISHED.map((pkg) => pack(pkg.folder, destination)));
  const tarballs: Tarballs = Object.fromEntries(PUBLISHED.map((pkg, i) => [pkg.name, paths[i]]));
  if (readdirSync(destination).length !== PUBLISHED.length) throw new Error(`expected ${PUBLISHED.length} tarballs in ${destination}`);
  project.provide('tarballs', tarballs);
  return () => rmSync(destination, { recursive: true, force: true });
}
