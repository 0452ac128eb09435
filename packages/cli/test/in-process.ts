import { vi } from 'vitest';
import { main } from '../src/main';

/**
 * Runs `attograd …args` in this process (main() of the command) and returns its exit status and
 * what it wrote to stdout and stderr, which are captured, not printed.
 *
 * @example
 * const { status, stdout } = await runInProcess(['explain', '--lang', 'ko']);
 */
export async function runInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
