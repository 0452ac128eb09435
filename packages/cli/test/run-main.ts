import { vi } from 'vitest';
import { main } from '../src/main';

/** Runs `attograd …` in this process and returns its exit status and what it wrote to stdout and stderr (captured, not printed). */
export async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
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
