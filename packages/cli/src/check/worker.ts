import { parentPort } from 'node:worker_threads';
import { numericalJacobianColumns } from '@attograd/gradcheck';
import type { ColumnsJob, ColumnsReply } from './parallel';
import { fingerprint, rebuildCase } from './rebuild';
import type { CheckCase } from './types';

/**
 * A worker thread of `attograd check`: rebuilds the check a job names (once per check, then
 * reused for its other column ranges) and computes the finite-difference columns asked for.
 */

let cached: { key: string; case: Promise<CheckCase> } | null = null;

async function caseFor(job: ColumnsJob): Promise<CheckCase> {
  const key = JSON.stringify([job.source, job.derivative]);
  if (cached === null || cached.key !== key) cached = { key, case: rebuildCase(job.source, job.derivative) };
  const built = await cached.case;
  if (fingerprint(built) !== job.fingerprint) {
    throw new Error(
      'its inputs differ between threads (inputs() is not deterministic: seed its random numbers, e.g. randn(shape, { rng: rng(1) })), ' +
        'so finite differences computed in a worker thread would not belong to the same point; or run with --workers 1',
    );
  }
  return built;
}

async function handle(job: ColumnsJob): Promise<void> {
  try {
    const c = await caseFor(job);
    // Partial re-evaluation, as in the main thread (gradcheck records fn once per thread and input set).
    const { values } = numericalJacobianColumns(c.fn, c.inputs, job.inputIndex, job.start, job.end, { stencil: job.stencil, eps: job.eps });
    const reply: ColumnsReply = { id: job.id, values };
    parentPort?.postMessage(reply, [values.buffer as ArrayBuffer]);
  } catch (error) {
    const reply: ColumnsReply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(reply);
  }
}

parentPort?.on('message', (job: ColumnsJob) => {
  void handle(job);
});
