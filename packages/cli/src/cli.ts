#!/usr/bin/env node
import { currentStep } from './check/supervise';
import { main } from './main';
import { EXIT } from './usage';

// Failure until proven otherwise: whatever ends this process before main() resolves (a promise
// that never settles, an uncaught error) must not look like success to a shell or to CI.
process.exitCode = EXIT.incomplete;
let finished = false;

// Node emits 'beforeExit' when it has nothing left to do. If main() is still pending then, it
// waits on a promise nothing will ever settle (say, a module's top-level await).
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  const step = currentStep();
  const where = step === null ? '' : ` while ${step}`;
  process.stderr.write(
    `attograd: the run did not finish${where}: it waited on a promise that nothing will settle ` +
      `(for example a top-level await in a module) (exit status ${EXIT.incomplete})\n`,
  );
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    finished = true;
    process.stderr.write(
      `attograd: internal error, the run did not complete: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.incomplete;
  },
);
