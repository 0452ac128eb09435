import { Command, CommanderError } from 'commander';
import { registerCheck } from './check/command';
import { registerExplain } from './explain/command';
import { EXIT, UsageError } from './usage';
import { registerExplore } from './explore/command';

export { EXIT, UsageError } from './usage';

/** Runs the `attograd` command with the given arguments and resolves to its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Command('attograd')
    .description('Derive, compute and prove the gradients of self-attention.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const setStatus = (code: number): void => {
    status = Math.max(status, code);
  };
  registerCheck(program, setStatus, argv);
  registerExplain(program, setStatus);
  registerExplore(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit with 0; every other parse error is bad usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`attograd: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  return status;
}
