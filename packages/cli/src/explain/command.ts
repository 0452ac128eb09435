import type { Command } from 'commander';

/** Registers `attograd explain` (built in src/explain/). */
export function registerExplain(program: Command, setStatus: (code: number) => void): void {
  program
    .command('explain')
    .description('stage-by-stage gradient derivations with numbers')
    .argument('[stage]', 'a stage name, or all')
    .action(() => {
      process.stderr.write('attograd explain: not built yet\n');
      setStatus(1);
    });
}
