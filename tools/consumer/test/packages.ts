import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root, from this file's place in tools/consumer/test. */
export const WORKSPACE = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A publishable package: its npm name, its folder under packages/, and what it is. */
export interface PublishedPackage {
  name: string;
  folder: string;
  /**
   * `library`: ESM + CJS + types, no runtime dependency outside attograd, bundles for a browser with
   * no Node built-in. `command`: the Node-only `attograd` command (bin), with its npm dependencies.
   * `app`: what only the command needs — the explorer (its built page and a tiny Node server);
   * never installed with the library.
   */
  kind: 'library' | 'command' | 'app';
}

/** Every package attograd publishes, dependencies first. */
export const PUBLISHED: readonly PublishedPackage[] = [
  { name: '@attograd/tensor', folder: 'packages/tensor', kind: 'library' },
  { name: '@attograd/ops', folder: 'packages/ops', kind: 'library' },
  { name: '@attograd/gradcheck', folder: 'packages/gradcheck', kind: 'library' },
  { name: '@attograd/attention', folder: 'packages/attention', kind: 'library' },
  { name: '@attograd/optim', folder: 'packages/optim', kind: 'library' },
  { name: '@attograd/nn', folder: 'packages/nn', kind: 'library' },
  { name: 'attograd', folder: 'packages/attograd', kind: 'library' },
  { name: '@attograd/explorer', folder: 'packages/explorer', kind: 'app' },
  { name: '@attograd/cli', folder: 'packages/cli', kind: 'command' },
];

/** The library packages: what `npm install attograd` brings. */
export const LIBRARIES = PUBLISHED.filter((pkg) => pkg.kind === 'library');

/** Packages only the command needs: none of them may reach a project that installs the library alone. */
export const COMMAND_ONLY_DEPENDENCIES = [
  'commander',
  'cli-progress',
  'picocolors',
  'tsx',
  'esbuild',
  '@esbuild',
  '@attograd/explorer',
  'katex',
];

/** Package name → absolute path of its packed tarball, as handed over by the global setup. */
export type Tarballs = Record<string, string>;

declare module 'vitest' {
  export interface ProvidedContext {
    tarballs: Tarballs;
  }
}
