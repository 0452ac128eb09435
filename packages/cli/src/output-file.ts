import { accessSync, closeSync, constants, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Report files (`--html`, `--junit`) are checked before anything runs, so that a run of many
 * minutes never ends in a stack trace because its report cannot be written. The test is the
 * honest one: open the file for appending (which changes nothing in an existing file) and, if
 * the probe created it, remove it again. Asking for permissions instead would be wrong for root,
 * who may write a read-only file.
 */

/**
 * An output path that cannot be written; the commands turn it into exit status 2.
 *
 * @example
 * throw new OutputFileError('--html out/: cannot write there: it is a directory');
 */
export class OutputFileError extends Error {
  override name = 'OutputFileError';
}

const REASONS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'its directory does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  return (code !== undefined && REASONS[code]) || (error instanceof Error ? error.message : String(error));
}

/** The nearest ancestor of `path` that exists. */
function existingAncestor(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/**
 * Checks that `raw` (the value of `flag`) can be written, and returns it as an absolute path.
 * With `createDirectories`, missing directories are fine as long as they can be created
 * (the command makes them when it writes); without, the directory must exist.
 *
 * @throws OutputFileError, one line naming the flag, the path and why.
 * @example
 * const html = writableOutput('--html', 'report.html'); // '/cwd/report.html'
 */
export function writableOutput(flag: string, raw: string, { createDirectories = false } = {}): string {
  const path = resolve(raw);
  const fail = (why: string): never => {
    throw new OutputFileError(`${flag} ${raw}: cannot write there: ${why}`);
  };
  if (existsSync(path) && statSync(path).isDirectory()) fail('it is a directory');
  const directory = dirname(path);
  if (!existsSync(directory)) {
    if (!createDirectories) fail(`the directory ${directory} does not exist`);
    const ancestor = existingAncestor(directory);
    if (!statSync(ancestor).isDirectory()) fail(`${ancestor} is not a directory`);
    try {
      accessSync(ancestor, constants.W_OK);
    } catch (error) {
      fail(`cannot create directories in ${ancestor}: ${reason(error)}`);
    }
    return path;
  }
  if (!statSync(directory).isDirectory()) fail(`${directory} is not a directory`);
  const existed = existsSync(path);
  try {
    closeSync(openSync(path, 'a'));
  } catch (error) {
    fail(reason(error));
  }
  if (!existed) unlinkSync(path);
  return path;
}
