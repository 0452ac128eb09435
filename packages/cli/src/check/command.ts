import { writeFileSync } from 'node:fs';
import { defaultEps, DEFAULTS } from '@attograd/gradcheck';
import type { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, UsageError } from '../usage';
import { toHtml } from './html-report';
import { toJson, toJunit } from './machine';
import { DEFAULT_SIZES, DEFAULT_TIMEOUT_SECONDS, resolveSettings, type RawCheckOptions } from './options';
import { ColumnPool } from './parallel';
import { progressHooks } from './progress';
import { CheckRunner, type RunHooks } from './run';
import { beginStep, endSteps, isWatched, superviseCheck } from './supervise';
import { formatSweepTable } from './sweep-table';
import { allPassed, formatNotes, formatSummary, formatTable } from './table';
import { resolveTargets } from './targets';
import type { CheckSettings, CheckSpec, RunReport } from './types';
import { ModuleLoadError } from './user-module';

/**
 * `attograd check [TARGET…] [options]`: finite-difference verification of attograd's gradients
 * and the user's, from the command line.
 */

const EXAMPLES = `
Examples:
  attograd check                        every op, every nn layer, every attention stage, then the composites
  attograd check softmax selfAttention  by name (ops, layers, stages, composites)
  attograd check ./my-op.check.ts       your own module: export default { name, fn, inputs }
  attograd check all --json > report.json
  attograd check selfAttention --seq 16 --dmodel 32 --workers 2

Exit status: 0 every check passed; 1 a check failed, was vacuous or could not run;
2 bad usage, a module that cannot be loaded or a report file that cannot be written (checked
before the run); 3 the run did not complete: a check (or the loading of a module) took longer
than --timeout, or the run stopped before its end.`;

/** A default for the help text, from gradcheck's own constants: 6.1e-6, 1e-4, 1e-8. */
function short(value: number): string {
  return Number(value.toPrecision(2)).toExponential().replace(/\.0e/, 'e');
}

/**
 * Registers `attograd check` on the program; its action reports the exit status through `setStatus`.
 *
 * @example
 * registerCheck(program, (code) => (status = Math.max(status, code)), argv);
 */
export function registerCheck(program: Command, setStatus: (code: number) => void, argv: readonly string[]): void {
  program
    .command('check')
    .description('verify gradients against finite differences: attograd’s own, and your module’s')
    .argument('[targets...]', 'all (default), an op, stage or composite name, or a path to a .js/.mjs/.cjs/.ts/.mts/.cts module')
    .option('--mode <mode>', 'full: every Jacobian element; fast: one random projection per input', DEFAULTS.mode)
    .option(
      '--eps <h>',
      `relative finite-difference step (default: ${short(defaultEps('central'))} central, ${short(defaultEps('five-point'))} five-point)`,
    )
    .option('--atol <x>', `absolute tolerance of |a − n| ≤ atol + rtol·|n| (default ${short(DEFAULTS.atol)})`)
    .option('--rtol <x>', `relative tolerance (default ${short(DEFAULTS.rtol)})`)
    .option('--stencil <name>', 'central or five-point', DEFAULTS.stencil)
    .option('--seed <n>', 'seed of the inputs and random directions', String(DEFAULTS.seed))
    .option('--batch <n>', 'batch size (default: no batch axis)')
    .option('--seq <n>', 'sequence length T', String(DEFAULT_SIZES.seq))
    .option('--dmodel <n>', 'model width d', String(DEFAULT_SIZES.dModel))
    .option('--heads <n>', 'attention heads, must divide --dmodel (default 2, or 1 when d is odd)')
    .option('--second-order', 'also check each gradient’s gradient (via gradients(…, { createGraph: true }))')
    .option('--sweep', 'step-size sweep: error against h from 1e-1 to 1e-10 (drawn with --html)')
    .option('--workers <n>', 'threads for the finite-difference columns (default and most: the core count)')
    .option(
      '--timeout <seconds>',
      `stop the run, exit status 3, when one check takes longer (default ${DEFAULT_TIMEOUT_SECONDS}; 0: no limit)`,
    )
    .option('--json', 'print the report as JSON on stdout')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--html <file>', 'write a self-contained HTML report')
    .addHelpText('after', EXAMPLES)
    .action(async (targets: string[], raw: RawCheckOptions) => {
      setStatus(await checkCommand(targets, raw, argv));
    });
}

/** The settings, or a usage error (exit status 2) naming the flag or the file. */
function settingsOf(raw: RawCheckOptions, onNotice: (message: string) => void): CheckSettings {
  return resolveSettings(raw, onNotice); // its UsageErrors name the command and the flag
}

/** The checks the targets name, each module's loading timed as a step; or a usage error. */
async function specsOf(targets: readonly string[], settings: CheckSettings): Promise<CheckSpec[]> {
  try {
    return await resolveTargets(targets, settings, (path) => beginStep(`loading ${path}`));
  } catch (error) {
    if (error instanceof ModuleLoadError) throw new UsageError(`check: ${error.message}`);
    throw error;
  }
}

/**
 * Runs the command and returns its exit status. Given the command line (`argv`), the options are
 * checked here, then the checks run in a child process that this one stops when a step outlasts
 * --timeout (see supervise.ts); without it, or in that child, they run in this process.
 *
 * @example
 * const status = await checkCommand(['softmax'], { json: true });
 */
export async function checkCommand(targets: readonly string[], raw: RawCheckOptions, argv?: readonly string[]): Promise<number> {
  const watched = isWatched();
  const settings = settingsOf(raw, watched ? () => {} : (message) => process.stderr.write(`attograd check: ${message}\n`));
  if (!watched && argv !== undefined) {
    const status = await superviseCheck(argv, settings.timeout);
    if (status !== null) return status;
  }
  const specs = await specsOf(targets, settings);
  const report = await runAll(specs, settings);
  beginStep('writing the reports');
  writeOutputs(report);
  endSteps();
  return allPassed(report.results) ? EXIT.ok : EXIT.failed;
}

/**
 * Every check, with the worker pool open for the whole run.
 *
 * @example
 * const report = await runAll(await resolveTargets(['all'], settings), settings);
 */
export async function runAll(specs: readonly CheckSpec[], settings: CheckSettings): Promise<RunReport> {
  const started = performance.now();
  const pool = settings.workers > 1 ? new ColumnPool(settings.workers) : null;
  const progress = progressHooks(specs.length, process.stderr.isTTY === true);
  try {
    const hooks: RunHooks = {
      ...progress.hooks,
      onStart: (label) => {
        beginStep(`check '${label}'`);
        progress.hooks.onStart(label);
      },
    };
    const runner = new CheckRunner(settings, pool, hooks);
    for (const spec of specs) await runner.run(spec);
  } finally {
    progress.stop();
    await pool?.close();
  }
  return { settings, results: progress.results, seconds: (performance.now() - started) / 1000 };
}

function writeOutputs(report: RunReport): void {
  const { settings } = report;
  if (settings.json) process.stdout.write(`${toJson(report)}\n`);
  else {
    const colors = pc.createColors(process.stdout.isTTY === true && !('NO_COLOR' in process.env));
    const sections = [
      formatTable(report.results, colors),
      formatNotes(report.results, colors),
      formatSweepTable(report.results, colors),
      formatSummary(report, colors),
    ];
    process.stdout.write(`${sections.filter((s) => s !== '').join('\n\n')}\n`);
  }
  if (settings.junit !== undefined) {
    writeFileSync(settings.junit, toJunit(report));
    process.stderr.write(`attograd check: JUnit XML written to ${settings.junit}\n`);
  }
  if (settings.html !== undefined) {
    writeFileSync(settings.html, toHtml(report));
    process.stderr.write(`attograd check: HTML report written to ${settings.html}\n`);
  }
}
