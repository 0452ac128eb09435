import { spawn } from 'node:child_process';
import { existsSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../usage';

/**
 * The timeout of `attograd check`. A check whose fn loops forever blocks its thread, and no timer
 * in that thread can ever fire; a worker thread could be stopped, but the checks' functions and
 * modules do not cross threads. So `attograd check` runs the checks in a child process (the
 * same command) and watches it from this one. The child announces each step (loading a module,
 * each check, writing the reports) on a pipe, with a synchronous write, so the announcement is
 * out before the step begins; when a step outlasts `--timeout`, this process stops the child,
 * names the step, and exits with status 3.
 */

/** Set in the child's environment: the file descriptor of the pipe its steps are announced on. */
const STEPS_FD = 'ATTOGRAD_CHECK_STEPS_FD';

/** The pipe, when this process is a watched child (read once: the user's modules never see it). */
const stepsFd = ((): number | null => {
  const value = process.env[STEPS_FD];
  delete process.env[STEPS_FD];
  return value === undefined || !/^\d+$/.test(value) ? null : Number(value);
})();

let current: string | null = null;

/**
 * True in the child process that runs the checks for a watching `attograd check`.
 *
 * @example
 * if (!isWatched()) return await superviseCheck(argv, settings.timeout);
 */
export function isWatched(): boolean {
  return stepsFd !== null;
}

function tell(message: object): void {
  if (stepsFd === null) return;
  try {
    writeSync(stepsFd, `${JSON.stringify(message)}\n`);
  } catch {
    // The watching `attograd check` is gone (killed): nobody waits for this run any more.
    process.stderr.write(`attograd check: the watching process is gone; stopping (exit status ${EXIT.incomplete})\n`);
    process.exit(EXIT.incomplete);
  }
}

/**
 * Announces the step that starts now (its time limit starts too).
 *
 * @example
 * beginStep(`check '${name}'`);
 */
export function beginStep(label: string): void {
  current = label;
  tell({ step: label });
}

/**
 * Announces that the run is over: nothing is timed any more.
 *
 * @example
 * endSteps();
 */
export function endSteps(): void {
  current = null;
  tell({ done: true });
}

/**
 * The step under way, if any (for the message of a run that stops before its end).
 *
 * @example
 * currentStep() // "loading ./m.mjs"
 */
export function currentStep(): string | null {
  return current;
}

/** The built command beside this code (dist/cli.js), or null when running from the sources. */
function commandScript(): string | null {
  const script = fileURLToPath(new URL('./cli.js', import.meta.url));
  return existsSync(script) ? script : null;
}

/**
 * Runs `attograd …argv` in a child process that announces its steps, and stops it when one step
 * takes more than `timeout` seconds (0: never). Resolves to the child's exit status, or 3 when it
 * was stopped or killed; null when the command cannot be started as a child (running from the
 * TypeScript sources), and the caller runs the checks itself.
 *
 * @example
 * const status = await superviseCheck(['check', './m.ts'], 300);
 */
export async function superviseCheck(argv: readonly string[], timeout: number): Promise<number | null> {
  const script = commandScript();
  if (script === null) return null;
  // The child runs with this Node's flags (e.g. `--import tsx`), except a debugger's port, taken by this process.
  const flags = process.execArgv.filter((flag) => !flag.startsWith('--inspect'));
  const child = spawn(process.execPath, [...flags, script, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, [STEPS_FD]: '3' },
  });
  let timer: NodeJS.Timeout | undefined;
  let stopped: string | null = null;
  const arm = (label: string): void => {
    clearTimeout(timer);
    if (timeout === 0) return;
    timer = setTimeout(() => {
      stopped = label;
      process.stderr.write(
        `attograd check: ${label} did not finish within ${timeout} s (--timeout ${timeout}); the run was stopped (exit status ${EXIT.incomplete})\n`,
      );
      child.kill('SIGKILL');
    }, timeout * 1000);
  };
  createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
    let message: { step?: string; done?: boolean };
    try {
      message = JSON.parse(line) as { step?: string; done?: boolean };
    } catch {
      return; // not ours
    }
    if (message.step !== undefined) arm(message.step);
    if (message.done === true) clearTimeout(timer);
  });
  // Stopping this process (CI cancelling a job, Ctrl-C) stops the child too, rather than orphan it.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      clearTimeout(timer);
      if (stopped !== null) resolve(EXIT.incomplete);
      else if (code !== null) resolve(code);
      else {
        process.stderr.write(`attograd check: the run was killed (${signal}) before it finished (exit status ${EXIT.incomplete})\n`);
        resolve(EXIT.incomplete);
      }
    });
  });
}
