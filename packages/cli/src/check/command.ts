import type { Command } from 'commander';

/** Registers `attograd check` (built in src/check/). */
export function registerCheck(program: Command, setStatus: (code: number) => void): void {
  program
    .command('check')
    .description('verify gradients against finite differences')
    .argument('[targets...]', 'all, an op or stage name, or a path to your own module')
    .action(() => {
      process.stderr.write('attograd check: not built yet\n');
      setStatus(1);
    });
}
