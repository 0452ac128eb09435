import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Helpers for the example tests: each example has its own test file, which runs the script the
 * way a reader would (through tsx, against the built packages) and checks what it prints.
 */

const examplesDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs `examples/<file>` with tsx and returns its standard output (throws if it fails). */
export function runExample(file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: examplesDir, encoding: 'utf8', timeout: 60_000 });
}

/** A printed matrix: its name, shape and rows of numbers. */
export interface PrintedMatrix {
  shape: number[];
  rows: number[][];
}

/**
 * Every block of the form
 *   NAME  [r, c]
 *     1.0000  -2.0000 …
 * in the output, by name (a later block with the same name replaces an earlier one).
 */
export function parseMatrices(output: string): Map<string, PrintedMatrix> {
  const blocks = new Map<string, PrintedMatrix>();
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^(\S+) {2}\[([\d, ]*)\]$/.exec(lines[i]);
    if (header === null) continue;
    const rows: number[][] = [];
    while (i + 1 < lines.length && /^ {2}\s*-?\d/.test(lines[i + 1])) rows.push(lines[++i].trim().split(/\s+/).map(Number));
    blocks.set(header[1], { shape: header[2].split(',').map((dim) => Number(dim.trim())), rows });
  }
  return blocks;
}
