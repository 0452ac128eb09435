import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root, from this file's place in tools/consumer/test. */
export const WORKSPACE = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A publishable package: its npm name and its folder under packages/. */
export interface PublishedPackage {
  name: string;
  folder: string;
  /** Bundles for a browser with no Node built-in (the core packages, and the umbrella's library entry). */
  browser: boolean;
}

/** Every package attograd publishes, dependencies first. */
export const PUBLISHED: readonly PublishedPackage[] = [
  { name: '@attograd/tensor', folder: 'packages/tensor', browser: true },
  { name: '@attograd/ops', folder: 'packages/ops', browser: true },
  { name: '@attograd/gradcheck', folder: 'packages/gradcheck', browser: true },
  { name: '@attograd/attention', folder: 'packages/attention', browser: true },
  { name: '@attograd/explorer', folder: 'packages/explorer', browser: false },
  { name: 'attograd', folder: 'packages/cli', browser: true },
];

/** Package name → absolute path of its packed tarball, as handed over by the global setup. */
export type Tarballs = Record<string, string>;

declare module 'vitest' {
  export interface ProvidedContext {
    tarballs: Tarballs;
  }
}
