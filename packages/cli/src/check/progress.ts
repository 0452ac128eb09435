import cliProgress from 'cli-progress';
import type { RunHooks } from './run';
import type { CheckResult } from './types';

/**
 * The progress bar of `attograd check`, on stderr and only when stderr is a terminal (a CI log or
 * a pipe gets no escape codes). It advances by check, and within a long check by the share of
 * finite-difference columns done.
 */

const STEPS_PER_CHECK = 100;

/**
 * Hooks that draw the bar for `planned` checks (the count grows when a failing composite's stages
 * are checked too), plus `results`, the list every finished check is appended to.
 *
 * @example
 * const progress = progressHooks(specs.length, process.stderr.isTTY === true);
 * // … run with progress.hooks …
 * progress.stop();
 */
export function progressHooks(planned: number, enabled: boolean): { hooks: RunHooks; results: CheckResult[]; stop(): void } {
  const results: CheckResult[] = [];
  let total = planned;
  let running = false;
  const bar = enabled
    ? new cliProgress.SingleBar(
        {
          format: '{bar} {percentage}% | {finished}/{planned} checks | {name}',
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total * STEPS_PER_CHECK, 0, { finished: 0, planned: total, name: '' });
  const draw = (fraction: number, name?: string): void => {
    total = Math.max(total, results.length + (running ? 1 : 0));
    bar?.setTotal(total * STEPS_PER_CHECK);
    const payload = { finished: results.length, planned: total, ...(name === undefined ? {} : { name }) };
    bar?.update(Math.round((results.length + Math.min(fraction, 0.99)) * STEPS_PER_CHECK), payload);
  };
  const hooks: RunHooks = {
    onStart: (label) => {
      running = true;
      draw(0, label);
    },
    onFraction: (fraction) => draw(fraction),
    onDone: (result) => {
      results.push(result);
      running = false;
      draw(0);
    },
  };
  return { hooks, results, stop: () => bar?.stop() };
}
